// sync-dbt at scale: generated manifests of 1,000, 5,000 and 10,000 models
// x 30 columns (bench/gen-manifest.mjs). Per size, each run as the real CLI in
// a child process (wall time and peak RSS):
//   - a first sync into an empty registry;
//   - no-change syncs of the same project from ANOTHER dbt run (the manifest
//     with a new invocation_id and generated_at, as CI produces it): planned
//     in full with both caches off (--no-memo --no-plan-cache), and with the
//     plan cache (--no-memo), which skips parsing and planning but still reads
//     and plans against the whole registry;
//   - the same manifest with every model's SQL edited (no contract changed):
//     the plan cache finds it by its contract-input fingerprint;
//   - a no-change sync answered by the memo (same manifest, main unmoved);
//   - a sync with 1% of the models changed;
// against a floor measured in the same run: JSON.parse of the manifest plus
// reading every contract of the registry with one `git cat-file --batch`.
//
//   npm run bench -- dbt            (BENCH_DBT_SIZES=1000,5000 to pick sizes)
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const BIN = path.join(root, 'bin', 'tessera.js');
const GEN = path.join(here, 'gen-manifest.mjs');
const SELF = fileURLToPath(import.meta.url);
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** The floor, run as its own process: parse the manifest, read every registry file under assets/ through one cat-file. */
async function floor(manifest, registry) {
  JSON.parse(readFileSync(manifest, 'utf8'));
  const ls = execFileSync('git', ['ls-tree', '-r', '-z', '--full-tree', 'refs/heads/main', '--', 'assets'], { cwd: registry, maxBuffer: 1 << 30 }).toString();
  const oids = ls.split('\0').filter(Boolean).map((rec) => rec.slice(0, rec.indexOf('\t')).split(' ')[2]);
  const child = spawn('git', ['cat-file', '--batch'], { cwd: registry, stdio: ['pipe', 'pipe', 'inherit'] });
  let bytes = 0;
  child.stdout.on('data', (b) => (bytes += b.length));
  child.stdin.end(oids.join('\n') + '\n');
  await new Promise((resolve) => child.on('close', resolve));
  if (bytes === 0 && oids.length > 0) throw new Error('cat-file read nothing');
}

if (process.argv[2] === '--floor') {
  await floor(process.argv[3], process.argv[4]);
  process.exit(0);
}

const PRELOAD = `process.on('exit', () => require('fs').writeSync(2, '\\nBENCH_MAXRSS_KB ' + process.resourceUsage().maxRSS + '\\n'));\n`;

/** Run node with args; wall time (ms) and peak RSS (KB) of that process. */
function measure(args, env, preloadFile) {
  return new Promise((resolve, reject) => {
    const cmd = TIME ? TIME : process.execPath;
    const argv = TIME ? ['-f', 'BENCH_MAXRSS_KB %M', process.execPath, ...args] : ['--require', preloadFile, ...args];
    const t0 = performance.now();
    const child = spawn(cmd, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      const m = /BENCH_MAXRSS_KB (\d+)/.exec(err);
      if (code !== 0 && code !== 1) return reject(new Error(`${args.join(' ')} exited ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`));
      resolve({ ms, rssKb: m ? Number(m[1]) : NaN, stdout: out });
    });
  });
}

const fmtS = (ms) => `${(ms / 1000).toFixed(2)} s`;
const fmtMb = (b) => `${(b / 1e6).toFixed(0)} MB`;

export async function run() {
  if (!existsSync(path.join(root, 'dist', 'cli', 'main.js'))) {
    console.log('SKIPPED: dist/ is missing (run npm run build first)');
    return;
  }
  const sizes = (process.env.BENCH_DBT_SIZES ?? '1000,5000,10000').split(',').map(Number);
  const work = mkdtempSync(path.join(os.tmpdir(), 'tessera-bench-dbt-'));
  const preload = path.join(work, 'maxrss.cjs');
  writeFileSync(preload, PRELOAD);
  const home = path.join(work, 'home');
  mkdirSync(home);
  const baseEnv = {
    HOME: home,
    XDG_CACHE_HOME: path.join(home, '.cache'),
    TESSERA_HOME: path.join(home, '.tessera'),
    GIT_AUTHOR_NAME: 'bench',
    GIT_AUTHOR_EMAIL: 'bench@example.com',
    GIT_COMMITTER_NAME: 'bench',
    GIT_COMMITTER_EMAIL: 'bench@example.com',
    NO_COLOR: '1',
  };
  const rows = [];
  const checks = [];
  try {
    for (const n of sizes) {
      const base = path.join(work, `m${n}.json`);
      const changed = path.join(work, `m${n}-1pct.json`);
      execFileSync(process.execPath, [GEN, '--models', String(n), '--columns', '30', '--out', base], { stdio: 'ignore' });
      execFileSync(process.execPath, [GEN, '--models', String(n), '--columns', '30', '--change-percent', '1', '--seed', '7', '--out', changed], { stdio: 'ignore' });
      // Another dbt run of the same project: only the invocation id and time differ.
      const rerun = path.join(work, `m${n}-rerun.json`);
      writeFileSync(rerun, readFileSync(base, 'utf8').replace(/"invocation_id": ?"[^"]*"/, '"invocation_id":"99999999-0000-4000-8000-000000000001"').replace(/"generated_at": ?"[^"]*"/, '"generated_at":"2026-11-26T12:00:00.000000Z"'));
      if (readFileSync(rerun).equals(readFileSync(base))) throw new Error('the rerun manifest is the same file');
      // A change of SQL only: every model's raw_code edited, no contract changed.
      const sqlEdited = path.join(work, `m${n}-sql.json`);
      const sqlText = readFileSync(rerun, 'utf8').replaceAll('"raw_code":"', '"raw_code":"-- edited\\n');
      if (sqlText.length === statSync(rerun).size) throw new Error('no raw_code to edit in the generated manifest');
      writeFileSync(sqlEdited, sqlText);
      const size = statSync(base).size;
      const registry = path.join(work, `registry-${n}.git`);
      const env = { ...baseEnv, TESSERA_REGISTRY: registry };
      execFileSync(process.execPath, [BIN, 'init', registry], { env: { ...process.env, ...env }, stdio: 'ignore' });
      const sync = (file, ...extra) => measure([BIN, 'sync-dbt', file, '--owner-default', 'data-platform', '--fail-on', 'never', '--json', ...extra], env, preload);
      const noChange = (r, what) => {
        const out = JSON.parse(r.stdout);
        if (out.changed) throw new Error(`${what} of ${n} models changed the registry`);
        return out;
      };

      const first = await sync(base);
      const firstOut = JSON.parse(first.stdout);
      const fl = await measure([SELF, '--floor', base, registry], env, preload);
      // The planner's speed: a no-change sync that parses and plans everything (both caches off).
      const full = await sync(rerun, '--no-memo', '--no-plan-cache');
      const fullOut = noChange(full, 'a no-change sync');
      // The same with the plan cache: the first sync planned this content.
      const cached = await sync(rerun, '--no-memo');
      const cachedOut = noChange(cached, 'the plan-cache sync');
      if (JSON.stringify(cachedOut) !== JSON.stringify(fullOut)) throw new Error('the plan cache reported something else than full planning');
      // SQL edited: a new content fingerprint, the same contract input (one walk of the file, then the cached plan).
      const sql = await sync(sqlEdited, '--no-memo');
      const sqlOut = noChange(sql, 'the SQL-only sync');
      if (JSON.stringify({ ...sqlOut, file: '' }) !== JSON.stringify({ ...fullOut, file: '' })) throw new Error('the SQL-only sync reported something else than full planning');
      // A no-change sync with the memo on plans in full too (nothing recorded yet) and records the memo;
      // the next one with the same manifest on the same main answers from it without parsing or planning.
      noChange(await sync(base), 'the memo-recording sync');
      const hit = await sync(base);
      const hitOut = noChange(hit, 'the memo-hit sync');
      const sameRun = (o) => ({ ...o, file: '', manifest: { ...o.manifest, invocationId: '' } });
      if (JSON.stringify(sameRun(hitOut)) !== JSON.stringify(sameRun(fullOut))) throw new Error('the memo hit reported something else than full planning');
      const third = await sync(changed);
      const thirdOut = JSON.parse(third.stdout);
      const c = thirdOut.counts;
      const cases = [
        ['first sync (empty registry)', first, `${firstOut.counts.created} created`],
        ['no changes, another dbt run (full planning: memo and plan cache off)', full, `${fullOut.counts.unchanged} unchanged`],
        ['no changes, another dbt run (plan cache; memo off)', cached, `${cachedOut.counts.unchanged} unchanged`],
        ['SQL of every model edited, no contract changed (plan cache after one walk of the file; memo off)', sql, `${sqlOut.counts.unchanged} unchanged`],
        ['no changes (memo hit)', hit, `${hitOut.counts.unchanged} unchanged`],
        ['1% of models changed', third, `${c.published + c['published-major']} published, ${c.proposed} proposed`],
      ];
      for (const [label, r, note] of cases) rows.push({ n, size, label, r, fl, note });
      if (n === 5000) {
        checks.push(`5,000 models, no-change sync under 1.5 s, another dbt run, plan cache (--no-memo): ${cached.ms < 1500 ? 'yes' : 'NO'} (${fmtS(cached.ms)}; floor ${fmtS(fl.ms)})`);
        checks.push(`5,000 models, SQL-only change under 1.5 s, plan cache (--no-memo): ${sql.ms < 1500 ? 'yes' : 'NO'} (${fmtS(sql.ms)})`);
        checks.push(`5,000 models, no-change sync under 1.5 s, full planning without caches (--no-memo --no-plan-cache): ${full.ms < 1500 ? 'yes' : 'NO'} (${fmtS(full.ms)})`);
        checks.push(`5,000 models, no-change sync under 1.5 s, memo hit: ${hit.ms < 1500 ? 'yes' : 'NO'} (${fmtS(hit.ms)})`);
        checks.push(`5,000 models, first sync under 6 s: ${first.ms < 6000 ? 'yes' : 'NO'} (${fmtS(first.ms)})`);
        const peak = Math.max(first.rssKb, full.rssKb, cached.rssKb, sql.rssKb, hit.rssKb, third.rssKb) * 1024;
        checks.push(`5,000 models, peak memory under 10x the manifest (${fmtMb(size)}): ${peak < 10 * size ? 'yes' : 'NO'} (${fmtMb(peak)}, ${(peak / size).toFixed(1)}x)`);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`peak RSS measured with ${TIME ? '/usr/bin/time -f %M' : 'process.resourceUsage() in a preload'}; floor = JSON.parse of the manifest + one ls-tree + one cat-file --batch of every file under assets/`);
  console.log('');
  console.log('| models | manifest | run | result | wall | floor | wall / floor | peak RSS | RSS / manifest |');
  console.log('| ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const { n, size, label, r, fl, note } of rows) {
    const rss = r.rssKb * 1024;
    console.log(`| ${n.toLocaleString('en-US')} | ${fmtMb(size)} | ${label} | ${note} | ${fmtS(r.ms)} | ${fmtS(fl.ms)} | ${(r.ms / fl.ms).toFixed(1)}x | ${fmtMb(rss)} | ${(rss / size).toFixed(1)}x |`);
  }
  for (const c of checks) console.log(`- ${c}`);
}
