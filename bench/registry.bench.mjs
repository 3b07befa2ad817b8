// Registry commands at scale: the real binary against a generated registry of
// 10,000 assets, each command timed against a floor measured in the same run
// (node start-up plus the raw git commands the command needs). Rounds
// interleave floor and command so machine load hits both alike.
//
//   npm run bench -- registry          (BENCH_RUNS=7, BENCH_ASSETS=10000)
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { BIN, ROOT, artefact, fmtMs, gitEnv, inWorkDir, median, mustRun, personEnv, runProc } from './lib/proc.mjs';
import { assetIdOf, registryFiles, schemaOf, teamMember, teamNames, validateSample, writeRegistry } from './lib/gen-registry.mjs';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 7));
const ASSETS = Number(process.env.BENCH_ASSETS ?? 10_000);
const TEAMS = 20;
const TARGETS = { help: 150, show: 300, publish: 400, list: 1500 };
const CACHE_FILE = path.join('tessera', 'tessera-parse-cache-v1.json');

/** The generated registry, built once per generator version and copied for each run. */
export async function registry(work) {
  const { initialConfigYaml } = await import(path.join(ROOT, 'dist', 'registry', 'init.js'));
  const key = createHash('sha256')
    .update(readFileSync(new URL('./lib/gen-registry.mjs', import.meta.url)))
    .update(initialConfigYaml())
    .update(String(ASSETS))
    .digest('hex')
    .slice(0, 12);
  const cacheDir = path.join(os.tmpdir(), 'tessera-bench-cache', `registry-${ASSETS}-${key}`);
  const dir = path.join(work, 'registry.git');
  let note;
  if (existsSync(path.join(cacheDir, 'ok'))) {
    note = `reused the generated registry from ${cacheDir}`;
  } else {
    const t0 = performance.now();
    const files = await registryFiles({ assets: ASSETS, teams: TEAMS });
    const seen = await validateSample(files);
    rmSync(cacheDir, { recursive: true, force: true });
    const { bytes } = await writeRegistry(path.join(cacheDir, 'repo.git'), files);
    writeFileSync(path.join(cacheDir, 'ok'), new Date().toISOString());
    note = `generated ${files.size} files (${(bytes / 1e6).toFixed(1)} MB of YAML) in ${fmtMs(performance.now() - t0)}; validated a sample against the zod schemas: ${Object.entries(seen).map(([k, v]) => `${v} ${k}`).join(', ')}`;
  }
  cpSync(path.join(cacheDir, 'repo.git'), dir, { recursive: true });
  return { dir, note };
}

/** Parse `ls-tree -r -z` output into path -> oid. */
function parseLsTree(out) {
  const m = new Map();
  for (const rec of out.split('\0')) {
    if (!rec) continue;
    const tab = rec.indexOf('\t');
    m.set(rec.slice(tab + 1), rec.slice(0, tab).split(' ')[2]);
  }
  return m;
}

export async function run() {
  if (!existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) {
    console.log('SKIPPED: dist/ is missing (run npm run build first)');
    return;
  }
  await inWorkDir('registry', bench);
}

async function bench(work) {
  const load0 = os.loadavg()[0];
  const art0 = artefact();
  const { dir, note } = await registry(work);
  console.log(note);
  const names = teamNames(TEAMS);
  const home = path.join(work, 'home');
  mkdirSync(home, { recursive: true });
  const envFor = (email) => personEnv(home, dir, email);
  const git = (args, input) => mustRun('git', args, { cwd: dir, env: gitEnv(), input });
  const node0 = () => mustRun(process.execPath, ['-e', '0']);
  const tessera = async (args, email, expect) => {
    const r = await runProc(process.execPath, [BIN, ...args], { cwd: home, env: envFor(email) });
    if (r.code !== 0) throw new Error(`tessera ${args.join(' ')} exited ${r.code}: ${r.stderr.slice(0, 600)}`);
    if (expect) expect(r.stdout);
    return r.ms;
  };
  /** Time a sequence of steps (floor = their sum of wall time). */
  const seq = async (...steps) => {
    let ms = 0;
    for (const s of steps) ms += (await s()).ms;
    return ms;
  };
  const catFile = (oids) => git(['cat-file', '--batch'], oids.join('\n') + '\n');
  const lsTree = (...specs) => git(['ls-tree', '-r', '-z', '--full-tree', 'main', '--', ...specs]);
  let floorSeq = 0;
  /** fast-import one commit onto a scratch ref, then publish it on a bench ref and drop the scratch (the product's write path). */
  const commitFloor = async (files) => {
    const scratch = `refs/tessera/scratch/bench-${floorSeq++}`;
    const head = (await git(['rev-parse', 'refs/heads/main'])).stdout.trim();
    const now = Math.floor(Date.now() / 1000);
    let s = `commit ${scratch}\nmark :1\nauthor B <b@acme.example> ${now} +0000\ncommitter B <b@acme.example> ${now} +0000\ndata 6\nfloor\nfrom ${head}\n`;
    for (const [p, text] of files) s += `M 100644 inline ${p}\ndata ${Buffer.byteLength(text)}\n${text}\n`;
    s += '\nget-mark :1\ndone\n';
    const fi = await git(['fast-import', '--quiet', '--done', '--date-format=raw'], s);
    const commit = fi.stdout.trim();
    const up = await git(['update-ref', '--stdin'], `start\nupdate refs/bench/floor ${commit}\ndelete ${scratch}\nprepare\ncommit\n`);
    return { ms: fi.ms + up.ms };
  };

  const results = {};
  const record = (name, round, cmd, floor) => {
    if (round === 0) return; // warm-up
    (results[name] ??= { cmd: [], floor: [] }).cmd.push(cmd);
    results[name].floor.push(floor);
  };

  // --help: node start-up is the floor.
  for (let r = 0; r <= RUNS; r++) {
    const floor = (await node0()).ms;
    const cmd = await tessera(['--help'], teamMember(names[0]), (out) => {
      if (!out.includes('Usage: tessera')) throw new Error('--help printed no usage');
    });
    record('help', r, cmd, floor);
  }

  // show <asset>: ls-tree of the asset's directory + cat-file of its files.
  for (let r = 0; r <= RUNS; r++) {
    const id = assetIdOf((r * 811) % ASSETS);
    const floor = await seq(node0, async () => {
      const ls = await lsTree(`assets/${id}`);
      const c = await catFile([...parseLsTree(ls.stdout).values()]);
      return { ms: ls.ms + c.ms };
    });
    const cmd = await tessera(['show', id], teamMember(names[0]), (out) => {
      if (!out.startsWith(id)) throw new Error(`show ${id} printed: ${out.slice(0, 200)}`);
    });
    record('show', r, cmd, floor);
  }

  // list --json: ls-tree of assets/ + cat-file of every asset.yaml. Cold: no parse cache; warm: the cache the previous run left.
  const listFloor = () =>
    seq(node0, async () => {
      const ls = await lsTree('assets');
      const oids = [...parseLsTree(ls.stdout)].filter(([p]) => p.endsWith('/asset.yaml')).map(([, o]) => o);
      if (oids.length !== ASSETS) throw new Error(`floor: expected ${ASSETS} asset.yaml, found ${oids.length}`);
      const c = await catFile(oids);
      return { ms: ls.ms + c.ms };
    });
  const checkList = (out) => {
    const n = JSON.parse(out).count;
    if (n !== ASSETS) throw new Error(`list --json counted ${n}, expected ${ASSETS}`);
  };
  for (const mode of ['cold', 'warm']) {
    for (let r = 0; r <= RUNS; r++) {
      const floor = await listFloor();
      if (mode === 'cold') rmSync(path.join(dir, CACHE_FILE), { force: true });
      const cmd = await tessera(['list', '--json'], teamMember(names[0]), checkList);
      record(`list-${mode}`, r, cmd, floor);
    }
  }

  // publish (compatible: one optional column added), a different asset and owner each round.
  const schemasDir = path.join(work, 'schemas');
  mkdirSync(schemasDir, { recursive: true });
  for (let r = 0; r <= RUNS; r++) {
    const i = 1000 + r * 37;
    const id = assetIdOf(i);
    const owner = names[i % names.length];
    const schema = schemaOf(i);
    schema.properties.bench_added = { type: 'string', description: 'added by the bench' };
    const file = path.join(schemasDir, `${id}.json`);
    writeFileSync(file, JSON.stringify(schema, null, 2));
    const floor = await seq(node0, async () => {
      const ls = await lsTree('tessera.yaml', `assets/${id}`, 'teams');
      const m = parseLsTree(ls.stdout);
      const c = await catFile(['tessera.yaml', `assets/${id}/asset.yaml`, `assets/${id}/versions/1.0.0.yaml`, `teams/${owner}.yaml`, ...[...m.keys()].filter((p) => p.includes('/consumers/'))].map((p) => m.get(p)));
      const w = await commitFloor([
        [`assets/${id}/asset.yaml`, c.stdout.slice(0, 400)],
        [`assets/${id}/versions/1.1.0.yaml`, JSON.stringify(schema)],
      ]);
      return { ms: ls.ms + c.ms + w.ms };
    });
    const cmd = await tessera(['publish', id, file, '--json'], teamMember(owner, r % 3), (out) => {
      const j = JSON.parse(out);
      if (j.action !== 'contract.published' || j.version !== '1.1.0') throw new Error(`publish ${id}: ${out.slice(0, 300)}`);
    });
    record('publish', r, cmd, floor);
  }

  // consume: a team that neither owns nor consumes the asset, a different asset each round.
  for (let r = 0; r <= RUNS; r++) {
    const i = 3000 + r * 53;
    const id = assetIdOf(i);
    const listing = parseLsTree((await lsTree(`assets/${id}`)).stdout);
    const owner = names[i % names.length];
    const team = names.find((t) => t !== owner && !listing.has(`assets/${id}/consumers/${t}.yaml`));
    const floor = await seq(node0, async () => {
      const ls = await lsTree('tessera.yaml', `teams/${team}.yaml`, `assets/${id}`);
      const m = parseLsTree(ls.stdout);
      const c = await catFile([...m.values()]);
      const w = await commitFloor([[`assets/${id}/consumers/${team}.yaml`, `team: ${team}\nasset: ${id}\n`]]);
      return { ms: ls.ms + c.ms + w.ms };
    });
    const cmd = await tessera(['consume', id, '--team', team, '--json'], teamMember(team, 1), (out) => {
      if (JSON.parse(out).action !== 'consumer.registered') throw new Error(`consume ${id}: ${out.slice(0, 300)}`);
    });
    record('consume', r, cmd, floor);
  }
  await git(['update-ref', '-d', 'refs/bench/floor']).catch(() => undefined);

  const rows = [
    ['help', '`tessera --help`', 'node -e 0', TARGETS.help],
    ['show', '`tessera show <asset>`', 'node + ls-tree of the asset dir + cat-file --batch of its files', TARGETS.show],
    ['list-cold', '`tessera list --json` (cold: no parse cache)', 'node + ls-tree -r assets + cat-file --batch of 10,000 asset.yaml', TARGETS.list],
    ['list-warm', '`tessera list --json` (warm parse cache)', 'same as cold', TARGETS.list],
    ['publish', '`tessera publish` (compatible, +1 optional column)', 'node + ls-tree + cat-file + fast-import of one commit + update-ref', TARGETS.publish],
    ['consume', '`tessera consume`', 'node + ls-tree + cat-file + fast-import of one commit + update-ref', undefined],
  ];
  const version = (await runProc('git', ['--version'])).stdout.trim();
  console.log(`\n${ASSETS.toLocaleString('en')} assets, ${TEAMS} teams; median of ${RUNS} runs after 1 warm-up; ${version}; load average ${load0.toFixed(1)} -> ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} cpus; bin/tessera.js ran: ${art0 === artefact() ? art0 : `${art0} at the start, ${artefact()} at the end`}\n`);
  console.log('| command | median | floor (same run) | ratio to floor | target | result |');
  console.log('| --- | ---: | ---: | ---: | ---: | --- |');
  const verdicts = [];
  for (const [key, label, floorLabel, target] of rows) {
    const r = results[key];
    const cmd = median(r.cmd);
    const floor = median(r.floor);
    const pass = target === undefined ? '-' : cmd < target ? 'pass' : 'FAIL';
    console.log(`| ${label} | ${fmtMs(cmd)} | ${fmtMs(floor)} | ${(cmd / floor).toFixed(2)}x | ${target === undefined ? '-' : '< ' + fmtMs(target)} | ${pass} |`);
    verdicts.push(`${key}: ${floorLabel}; samples ${r.cmd.map((x) => x.toFixed(0)).join(' ')} ms (floors ${r.floor.map((x) => x.toFixed(0)).join(' ')})`);
  }
  console.log('\nFloors:');
  for (const v of verdicts) console.log(`- ${v}`);
}
