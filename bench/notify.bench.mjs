// Notifications at scale: the real binary against a generated registry of
// 10,000 assets with three webhook channels (signing secrets) served by a
// node:http receiver on 127.0.0.1 in this process, and 2,000 past events made
// as real commits with Tessera-Event trailers after the channels were added.
// Two targets of issue 14, each a ratio against its peer measured in the same
// run, the two variants alternating round by round (A/B, B/A) so machine load
// hits both alike:
//   - a breaking publish (opens a proposal) with inline delivery vs the same
//     publish with --no-notify: at most +10%;
//   - `tessera notify` with nothing pending vs `tessera list`: under 2x.
//
//   npm run bench -- notify          (BENCH_RUNS=7, BENCH_ASSETS=10000, BENCH_EVENTS=2000)
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { BIN, ROOT, artefact, fmtMs, gitEnv, inWorkDir, median, mustRun, personEnv, runProc } from './lib/proc.mjs';
import { assetIdOf, registryFiles, schemaOf, teamMember, teamNames, writeRegistry } from './lib/gen-registry.mjs';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 7));
const ASSETS = Number(process.env.BENCH_ASSETS ?? 10_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 2000);
const TEAMS = 20;
const CHANNEL_TEAMS = ['growth', 'finance', 'marketing'];
const TARGETS = { inline: 1.10, notify: 2.0 };

/** A webhook receiver on 127.0.0.1: counts requests per path, verifies every signature with standardwebhooks. */
async function receiver(secrets) {
  const hits = new Map();
  let bad = 0;
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const name = req.url.slice(1);
      try {
        new Webhook(secrets[name]).verify(Buffer.concat(chunks).toString('utf8'), req.headers);
      } catch {
        bad++;
      }
      hits.set(name, (hits.get(name) ?? 0) + 1);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: (name) => `http://127.0.0.1:${server.address().port}/${name}`,
    total: () => [...hits.values()].reduce((a, b) => a + b, 0),
    bad: () => bad,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * `count` past events on main, one commit each, by fast-import: every third a
 * consumer registration (notifies nobody), the rest compatible publishes of
 * 1.0.x (contract.published, whose audience is the asset's consumers at that
 * commit: some are wanted by a channel, most by none). Author times start
 * at `from` (after the channels were added).
 */
async function pastEvents(dir, files, count, from) {
  const git = (args, input) => mustRun('git', args, { cwd: dir, env: gitEnv(), input });
  const head = (await git(['rev-parse', 'refs/heads/main'])).stdout.trim();
  const names = teamNames(TEAMS);
  const parts = [];
  const add = (p, text) => parts.push(`M 100644 inline ${p}\ndata ${Buffer.byteLength(text)}\n${text}\n`);
  const bumps = new Map();
  for (let k = 0; k < count; k++) {
    const i = (k * 4099) % ASSETS;
    const id = assetIdOf(i);
    const owner = names[i % names.length];
    const when = from + Math.floor(k / 500);
    let msg;
    const body = [];
    if (k % 3 === 2) {
      const team = names.find((t) => t !== owner && !files.has(`assets/${id}/consumers/${t}.yaml`) && !CHANNEL_TEAMS.includes(t));
      const consumer = `team: ${team}\nasset: ${id}\npurpose: ${team} dashboards\nfields:\n  - id\nregistered_by: ${teamMember(team)}\nregistered_at: ${new Date(when * 1000).toISOString().replace('.000', '')}\nacks: []\n`;
      files.set(`assets/${id}/consumers/${team}.yaml`, consumer);
      body.push([`assets/${id}/consumers/${team}.yaml`, consumer]);
      msg = `register ${team} as a consumer of ${id}\n\nTessera-Event: consumer.registered\nTessera-Actor: ${teamMember(team)}\nTessera-Asset: ${id}\nTessera-Team: ${team}\n`;
    } else {
      const n = (bumps.get(id) ?? 0) + 1;
      bumps.set(id, n);
      const version = `1.0.${n}`;
      const schema = schemaOf(i);
      schema.properties[`bench_${n}`] = { type: 'string', description: 'added by the bench' };
      const asset = files.get(`assets/${id}/asset.yaml`).replace(/current_version: .*/, `current_version: ${version}`);
      files.set(`assets/${id}/asset.yaml`, asset);
      const v = files.get(`assets/${id}/versions/1.0.0.yaml`);
      const vText = v.replace(/^version: .*$/m, `version: ${version}`).replace(/^schema:[\s\S]*?^guarantees:/m, `schema: ${JSON.stringify(schema)}\nguarantees:`);
      body.push([`assets/${id}/asset.yaml`, asset], [`assets/${id}/versions/${version}.yaml`, vText]);
      msg = `publish ${id} ${version}\n\nTessera-Event: contract.published\nTessera-Actor: ${teamMember(owner)}\nTessera-Asset: ${id}\nTessera-Version: ${version}\n`;
    }
    parts.push(`commit refs/heads/main\nauthor ${owner} <${teamMember(owner)}> ${when} +0000\ncommitter ${owner} <${teamMember(owner)}> ${when} +0000\ndata ${Buffer.byteLength(msg)}\n${msg}\n${k === 0 ? `from ${head}\n` : ''}`);
    for (const [p, t] of body) add(p, t);
    parts.push('\n');
  }
  parts.push('done\n');
  await git(['fast-import', '--quiet', '--done', '--date-format=raw'], parts.join(''));
}

export async function run() {
  if (!existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) {
    console.log('SKIPPED: dist/ is missing (run npm run build first)');
    return;
  }
  await inWorkDir('notify', bench);
}

async function bench(work) {
  const load0 = os.loadavg()[0];
  const art0 = artefact();
  const names = teamNames(TEAMS);
  const dir = path.join(work, 'registry.git');
  const t0 = performance.now();
  const files = await registryFiles({ assets: ASSETS, teams: TEAMS });
  await writeRegistry(dir, files);
  const home = path.join(work, 'home');
  mkdirSync(home, { recursive: true });

  const secrets = Object.fromEntries(CHANNEL_TEAMS.map((t) => [`${t}-hooks`, `whsec_${randomBytes(24).toString('base64')}`]));
  const rx = await receiver(secrets);
  const channelEnv = {};
  for (const t of CHANNEL_TEAMS) {
    const v = t.toUpperCase().replace(/-/g, '_');
    channelEnv[`${v}_HOOK_URL`] = rx.url(`${t}-hooks`);
    channelEnv[`${v}_HOOK_SECRET`] = secrets[`${t}-hooks`];
  }
  const envFor = (email) => personEnv(home, dir, email, { extra: channelEnv });
  const tessera = async (args, email, expect) => {
    const r = await runProc(process.execPath, [BIN, ...args], { cwd: home, env: envFor(email) });
    if (r.code !== 0) throw new Error(`tessera ${args.join(' ')} exited ${r.code}: ${r.stderr.slice(0, 600)}`);
    if (expect) expect(r.stdout, r.stderr);
    return r.ms;
  };

  try {
    // Channels first, so every past event is one they hear of.
    for (const t of CHANNEL_TEAMS) {
      const v = t.toUpperCase().replace(/-/g, '_');
      await tessera(['channel', 'add', `${t}-hooks`, '--type', 'webhook', '--team', t, '--url-env', `${v}_HOOK_URL`, '--secret-env', `${v}_HOOK_SECRET`, '--json'], teamMember(t));
    }
    const from = Math.floor(Date.now() / 1000) + 1;
    await pastEvents(dir, files, EVENTS, from);
    // Events are timed in whole seconds after the channels; wait until the last one is in the past.
    const last = (from + Math.floor((EVENTS - 1) / 500) + 1) * 1000;
    if (Date.now() < last) await new Promise((r) => setTimeout(r, last - Date.now()));
    let first;
    await tessera(['notify', '--json'], teamMember(names[0]), (out) => (first = JSON.parse(out)));
    const sent = rx.total();
    if (first.pending !== 0 || first.attempts.some((a) => a.state !== 'delivered')) throw new Error(`the first notify left work: ${JSON.stringify({ pending: first.pending, warnings: first.warnings })}`);
    if (rx.bad() > 0) throw new Error(`${rx.bad()} webhooks failed standardwebhooks verification`);
    console.log(`registry: ${ASSETS.toLocaleString('en')} assets, ${TEAMS} teams, ${CHANNEL_TEAMS.length} webhook channels, ${EVENTS.toLocaleString('en')} past event commits (${files.size} files), built in ${fmtMs(performance.now() - t0)}; the first \`tessera notify\` delivered ${first.attempts.length} webhooks (${sent} received, all signatures verified)`);

    const results = { notify: [], list: [], cold: [], inline: [], quiet: [] };
    // notify with nothing pending vs list (warm parse cache for both: the first runs above / the warm-up round fill it).
    for (let r = 0; r <= RUNS; r++) {
      const notifyRun = () =>
        tessera(['notify', '--json'], teamMember(names[0]), (out) => {
          const j = JSON.parse(out);
          if (j.attempts.length !== 0 || j.pending !== 0) throw new Error(`notify had work: ${out.slice(0, 300)}`);
        });
      const listRun = () =>
        tessera(['list', '--json'], teamMember(names[0]), (out) => {
          if (JSON.parse(out).count !== ASSETS) throw new Error('list counted the wrong number of assets');
        });
      const [a, b] = r % 2 ? [await listRun(), await notifyRun()].reverse() : [await notifyRun(), await listRun()];
      if (r === 0) continue;
      results.notify.push(a);
      results.list.push(b);
    }
    // Informational: the same with no audience cache (a fresh clone, e.g. a CI runner), a few runs.
    const cacheFile = path.join(dir, 'tessera', 'tessera-notify-audience-v1.json');
    for (let r = 0; r < Math.min(3, RUNS); r++) {
      rmSync(cacheFile, { force: true });
      results.cold.push(await tessera(['notify', '--json'], teamMember(names[0])));
    }
    if (rx.total() !== sent) throw new Error(`notify with nothing pending sent ${rx.total() - sent} webhooks`);

    // A breaking publish (one column removed) on an asset a channel team consumes: it opens a proposal, and inline delivery tells that team.
    const schemasDir = path.join(work, 'schemas');
    mkdirSync(schemasDir, { recursive: true });
    const targets = [];
    for (let i = 0; targets.length < 2 * (RUNS + 1) && i < ASSETS; i++) {
      const id = assetIdOf(i);
      const owner = names[i % names.length];
      if (CHANNEL_TEAMS.includes(owner) || !CHANNEL_TEAMS.some((t) => files.has(`assets/${id}/consumers/${t}.yaml`))) continue;
      if (files.get(`assets/${id}/asset.yaml`).includes('current_version: 1.0.0') === false) continue;
      targets.push({ i, id, owner });
    }
    const publish = async ({ i, id, owner }, inline) => {
      const schema = schemaOf(i);
      const drop = Object.keys(schema.properties).find((k) => k !== 'id' && k !== 'updated_at');
      delete schema.properties[drop];
      schema.required = schema.required.filter((k) => k !== drop);
      const file = path.join(schemasDir, `${id}.json`);
      writeFileSync(file, JSON.stringify(schema, null, 2));
      const before = rx.total();
      const ms = await tessera(['publish', id, file, '--json', ...(inline ? [] : ['--no-notify'])], teamMember(owner), (out, err) => {
        const j = JSON.parse(out);
        if (j.action !== 'proposal.created') throw new Error(`publish ${id}: ${out.slice(0, 300)}`);
        if (inline && !err.includes('notified')) throw new Error(`inline publish of ${id} notified nobody: ${err.slice(0, 300)}`);
      });
      if (inline && rx.total() === before) throw new Error(`inline publish of ${id} reached no receiver`);
      if (!inline && rx.total() !== before) throw new Error(`--no-notify publish of ${id} sent a webhook`);
      return ms;
    };
    for (let r = 0; r <= RUNS; r++) {
      const [x, y] = [targets[2 * r], targets[2 * r + 1]];
      let a, b;
      if (r % 2) {
        b = await publish(x, false);
        a = await publish(y, true);
      } else {
        a = await publish(x, true);
        b = await publish(y, false);
      }
      if (r === 0) continue;
      results.inline.push(a);
      results.quiet.push(b);
    }

    const spread = (xs) => `${fmtMs(Math.min(...xs))}..${fmtMs(Math.max(...xs))}`;
    const version = (await mustRun('git', ['version'], { env: gitEnv() })).stdout.trim();
    console.log(`\nmedian of ${RUNS} runs after 1 warm-up, A/B order alternating; ${version}; load average ${load0.toFixed(1)} -> ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} cpus; bin/tessera.js ran: ${art0 === artefact() ? art0 : `${art0} at the start, ${artefact()} at the end`}\n`);
    console.log('| measured | median (min..max) | peer, same run | median (min..max) | ratio | target | result |');
    console.log('| --- | ---: | --- | ---: | ---: | ---: | --- |');
    const row = (label, xs, peerLabel, ys, target) => {
      const ratio = median(xs) / median(ys);
      console.log(`| ${label} | ${fmtMs(median(xs))} (${spread(xs)}) | ${peerLabel} | ${fmtMs(median(ys))} (${spread(ys)}) | ${ratio.toFixed(2)}x | ${target === Infinity ? '-' : `<= ${target.toFixed(2)}x`} | ${target === Infinity ? '-' : ratio <= target ? 'met' : 'NOT met'} |`);
    };
    row('`tessera publish` (breaking: opens a proposal), inline delivery to 1 local webhook', results.inline, '`tessera publish --no-notify`', results.quiet, TARGETS.inline);
    row(`\`tessera notify\`, nothing pending, no audience cache (fresh clone; ${results.cold.length} runs, no target)`, results.cold, '`tessera list --json`', results.list, Infinity);
    row(`\`tessera notify\`, nothing pending (${EVENTS.toLocaleString('en')} past events, all delivered)`, results.notify, '`tessera list --json`', results.list, TARGETS.notify);
  } finally {
    await rx.close();
  }
}
