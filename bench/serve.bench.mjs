// tessera serve at scale: the real binary serving a generated registry of
// 10,000 assets (bench/lib/gen-registry.mjs, shared with `bench -- registry`).
//   - GET /api/v1/assets/{id} from a concurrent keep-alive client in this
//     process: requests/s, p50 and p99 latency (target >= 2,000 req/s and
//     p99 < 20 ms on this machine);
//   - 200 concurrent publishes of new assets through the API, with group
//     commit and without (TESSERA_SERVE_GROUP_COMMIT=0), against 200
//     sequential `tessera publish` runs and against the floor of one
//     `git fast-import` commit (plus its compare-and-swap) per write,
//     measured in the same round. The machine is shared: compare ratios.
//
//   npm run bench -- serve      (BENCH_RUNS=2, BENCH_ASSETS=10000, BENCH_GETS=4000,
//                                BENCH_CONCURRENCY=16, BENCH_WRITES=200; 0: reads only)
import { mkdirSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { BIN, ROOT, artefact, fmtMs, gitEnv, inWorkDir, median, mustRun, personEnv, runProc } from './lib/proc.mjs';
import { assetIdOf, schemaOf, teamMember, teamNames } from './lib/gen-registry.mjs';
import { registry } from './registry.bench.mjs';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 2));
const ASSETS = Number(process.env.BENCH_ASSETS ?? 10_000);
const GETS = Number(process.env.BENCH_GETS ?? 4000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const WRITES = Number(process.env.BENCH_WRITES ?? 200);
const TARGETS = { rps: 2000, p99: 20 };

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/** `tessera serve --port 0` on the registry; resolves its URL once it answers /readyz. */
async function serve(env) {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--json'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c) => (err += c));
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const end = out.indexOf('\n}');
      if (end >= 0) resolve(JSON.parse(out.slice(0, end + 2)).url);
    });
    child.once('exit', (code) => reject(new Error(`tessera serve exited ${code}: ${err}`)));
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(CONCURRENCY, WRITES) });
  const request = (method, p, key, body) =>
    new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const t0 = performance.now();
      const req = http.request(url + p, { method, agent, headers: { Authorization: `Bearer ${key}`, ...(data ? { 'Content-Type': 'application/json', 'Content-Length': data.length } : {}) } }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - t0, body: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', reject);
      req.end(data);
    });
  for (;;) {
    const r = await new Promise((resolve) => http.get(url + '/readyz', (res) => (res.resume(), resolve(res.statusCode))).on('error', () => resolve(0)));
    if (r === 200) break;
    await new Promise((r2) => setTimeout(r2, 100));
  }
  return {
    request,
    stderr: () => err,
    stop: () =>
      new Promise((resolve) => {
        agent.destroy();
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

/** `count` GETs of random assets, `CONCURRENCY` at a time: throughput and latency. */
async function gets(server, key, count, seed) {
  const lat = [];
  let next = 0;
  let bad = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const i = next++;
        const r = await server.request('GET', `/api/v1/assets/${encodeURIComponent(assetIdOf((i * 7919 + seed) % ASSETS))}`, key);
        if (r.status !== 200) bad++;
        lat.push(r.ms);
      }
    }),
  );
  const ms = performance.now() - t0;
  if (bad) throw new Error(`${bad} of ${count} GETs did not answer 200`);
  return { rps: (count / ms) * 1000, p50: pct(lat, 50), p99: pct(lat, 99) };
}

/**
 * `WRITES` publishes of new assets at once through the API; the wall time
 * until the last answers, and how many did not publish (without group
 * commit, writers that lose the compare-and-swap 25 times give up with 503).
 */
async function concurrentPublishes(server, key, prefix, owner) {
  const t0 = performance.now();
  const replies = await Promise.all(Array.from({ length: WRITES }, (_, i) => server.request('POST', `/api/v1/assets/${prefix}_${i}/contracts`, key, { schema: schemaOf(i), owner })));
  const ms = performance.now() - t0;
  const wrong = replies.filter((r) => r.status !== 201);
  for (const r of wrong) if (r.status !== 503) throw new Error(`a publish answered ${r.status}: ${r.body.slice(0, 300)}`);
  return { ms, failed: wrong.length };
}

export async function run() {
  await inWorkDir('serve', bench);
}

async function bench(work) {
  const load0 = os.loadavg()[0];
  const art = artefact();
  const { dir, note } = await registry(work);
  console.log(note);
  const owner = teamNames(20)[0];
  const home = path.join(work, 'home');
  mkdirSync(home, { recursive: true });
  const env = personEnv(home, dir, teamMember(owner));
  const git = (args, input) => mustRun('git', args, { cwd: dir, env: gitEnv(), input });
  const tessera = async (args) => {
    const r = await runProc(process.execPath, [BIN, ...args], { cwd: home, env });
    if (r.code !== 0) throw new Error(`tessera ${args.join(' ')} exited ${r.code}: ${r.stderr.slice(0, 600)}`);
    return r;
  };
  const key = (await tessera(['key', 'create', '--team', owner, '--name', 'bench'])).stdout.trim();

  /** The floor: per write, one fast-import commit of an asset's two files on main's head, then its compare-and-swap, in sequence. */
  const floor = async (prefix) => {
    const t0 = performance.now();
    for (let i = 0; i < WRITES; i++) {
      const head = (await git(['rev-parse', 'refs/heads/main'])).stdout.trim();
      const when = Math.floor(Date.now() / 1000);
      const files = [[`assets/${prefix}_${i}/asset.yaml`, `id: ${prefix}_${i}\nowner: ${owner}\n`], [`assets/${prefix}_${i}/versions/1.0.0.yaml`, JSON.stringify(schemaOf(i))]];
      let s = `commit refs/tessera/scratch/floor\nmark :1\ncommitter B <b@acme.example> ${when} +0000\ndata 6\nfloor\nfrom ${head}\n`;
      for (const [p, text] of files) s += `M 100644 inline ${p}\ndata ${Buffer.byteLength(text)}\n${text}\n`;
      const commit = (await git(['fast-import', '--quiet', '--done', '--date-format=raw'], s + '\nget-mark :1\ndone\n')).stdout.trim();
      await git(['update-ref', '--stdin'], `start\nupdate refs/bench/floor ${commit}\ndelete refs/tessera/scratch/floor\nprepare\ncommit\n`);
    }
    return performance.now() - t0;
  };

  const getRounds = [];
  let coldPass;
  const writeRounds = [];
  const grouped = await serve(env);
  const plain = await serve({ ...env, TESSERA_SERVE_GROUP_COMMIT: '0' });
  try {
    // The first pass over every asset (the listing, each file's first parse), reported apart: a long-running server has read them.
    coldPass = await gets(grouped, key, ASSETS, 0);
    for (let r = 0; r < RUNS; r++) getRounds.push(await gets(grouped, key, GETS, r * 101 + 3));
    for (let r = 0; r < RUNS && WRITES > 0; r++) {
      // Alternating order, so machine load hits each variant alike.
      const steps = {
        group: () => concurrentPublishes(grouped, key, `bench_g${r}`, owner),
        nogroup: () => concurrentPublishes(plain, key, `bench_n${r}`, owner),
        floor: async () => ({ ms: await floor(`bench_f${r}`), failed: 0 }),
        cli: async () => {
          const t0 = performance.now();
          for (let i = 0; i < WRITES; i++) {
            const file = path.join(home, `s${i}.json`);
            writeFileSync(file, JSON.stringify(schemaOf(i)));
            await tessera(['publish', `bench_c${r}_${i}`, file, '--owner', owner]);
          }
          return { ms: performance.now() - t0, failed: 0 };
        },
      };
      const order = r % 2 === 0 ? ['group', 'nogroup', 'floor', 'cli'] : ['cli', 'floor', 'nogroup', 'group'];
      const round = {};
      for (const name of order) round[name] = await steps[name]();
      writeRounds.push(round);
    }
  } finally {
    await grouped.stop();
    await plain.stop();
  }
  const fsck = await runProc('git', ['fsck', '--no-dangling'], { cwd: dir, env: gitEnv() });
  if (fsck.code !== 0) throw new Error(`git fsck: ${fsck.stderr.slice(0, 600)}`);

  console.log(`${ASSETS} assets; ${art}; load ${load0.toFixed(1)} -> ${os.loadavg()[0].toFixed(1)}; ${RUNS} rounds`);
  console.log(`\nGET /api/v1/assets/{id}, ${GETS} requests per round, ${CONCURRENCY} concurrent keep-alive connections:\n`);
  console.log('| round | requests/s | p50 | p99 | target |');
  console.log('| ---: | ---: | ---: | ---: | --- |');
  console.log(`| first pass over all ${ASSETS} | ${coldPass.rps.toFixed(0)} | ${coldPass.p50.toFixed(1)} ms | ${coldPass.p99.toFixed(1)} ms | - |`);
  getRounds.forEach((g, i) => console.log(`| ${i + 1} | ${g.rps.toFixed(0)} | ${g.p50.toFixed(1)} ms | ${g.p99.toFixed(1)} ms | ${g.rps >= TARGETS.rps && g.p99 < TARGETS.p99 ? 'met' : '**not met**'} (>= ${TARGETS.rps} req/s, p99 < ${TARGETS.p99} ms) |`));
  if (WRITES === 0) return;
  console.log(`\n${WRITES} publishes of new assets, total wall time per round:\n`);
  console.log('| round | API, concurrent, group commit | API, concurrent, no group commit | fast-import floor, sequential | `tessera publish`, sequential | group / floor | group / no group | group / CLI |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const cell = (x) => `${fmtMs(x.ms)}${x.failed ? ` (${x.failed} gave up: 503)` : ''}`;
  writeRounds.forEach((w, i) => console.log(`| ${i + 1} | ${cell(w.group)} | ${cell(w.nogroup)} | ${cell(w.floor)} | ${cell(w.cli)} | ${(w.group.ms / w.floor.ms).toFixed(2)}x | ${(w.group.ms / w.nogroup.ms).toFixed(2)}x | ${(w.group.ms / w.cli.ms).toFixed(3)}x |`));
  const med = (k) => median(writeRounds.map((w) => w[k].ms));
  console.log(`\nmedian: group ${fmtMs(med('group'))}, no group ${fmtMs(med('nogroup'))}, floor ${fmtMs(med('floor'))}, CLI ${fmtMs(med('cli'))}`);
}
