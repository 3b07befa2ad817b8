// `tessera ui` at scale: a registry of 10,000 assets generated directly with
// one `git fast-import`, the UI server started in-process on port 0, and the
// asset list, a search, one asset page (with a diff) and the overview timed
// over HTTP: cold (a fresh server, no parse cache on disk), restarted (a fresh
// server, parse cache on disk) and warm (median of N requests).
//
//   npm run bench -- ui          (BENCH_ASSETS=10000, BENCH_RUNS=15)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { stringify } from 'yaml';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(pathToFileURL(path.join(ROOT, 'dist', p)).href);
const ASSETS = Number(process.env.BENCH_ASSETS ?? 10_000);
const RUNS = Math.max(3, Number(process.env.BENCH_RUNS ?? 15));
const TARGET_MS = 300;
const TEAMS = ['core', 'growth', 'finance', 'marketing', 'platform', 'risk', 'ops', 'search'];
const DOMAINS = ['sales', 'web', 'billing', 'crm', 'ads', 'ledger', 'support', 'search'];
const TYPES = [{ type: 'integer' }, { type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'string', format: 'date-time' }, { type: ['string', 'null'] }];
const WHEN = '2026-01-15T09:00:00Z';

const yaml = (v) => stringify(v, { lineWidth: 0 });
const objects = new Map(); // path -> value, validated against the zod schemas before writing
export const assetIdOf = (i) => `${DOMAINS[i % DOMAINS.length]}.model_${String(i).padStart(5, '0')}`;

function schemaOf(i, extra) {
  const n = 8 + (i % 13);
  const properties = {};
  for (let c = 0; c < n; c++) properties[c === 0 ? 'id' : `col_${c}`] = { ...TYPES[(i + c) % TYPES.length], description: `column ${c} of model ${i}` };
  if (extra) properties.added_later = { type: 'string' };
  return { type: 'object', properties, required: ['id', ...Object.keys(properties).filter((_, c) => c % 4 === 1)] };
}

function put(files, p, value) {
  objects.set(p, value);
  files.set(p, yaml(value));
}

/** Every file of the registry: path -> content. */
export async function registryFiles() {
  const { initialConfigYaml } = await dist('registry/init.js');
  const files = new Map([['tessera.yaml', initialConfigYaml()], ['README.md', '# Tessera registry (generated for the UI benchmark)\n']]);
  for (const [t, name] of TEAMS.entries()) put(files, `teams/${name}.yaml`, ({ name, members: [`${name}@acme.com`, `lead${t}@acme.com`], created_by: 'bench@acme.com', created_at: WHEN }));
  for (let i = 0; i < ASSETS; i++) {
    const id = assetIdOf(i);
    const owner = TEAMS[i % TEAMS.length];
    const twoVersions = i % 10 === 0;
    const current = twoVersions ? '1.1.0' : '1.0.0';
    put(files, `assets/${id}/asset.yaml`, ({ id, owner, kind: i % 5 === 0 ? 'source' : 'model', description: `Model ${i} of the ${DOMAINS[i % DOMAINS.length]} domain.`, tags: [DOMAINS[i % DOMAINS.length]], current_version: current, ...(i + 1 < ASSETS ? { downstream: [assetIdOf(i + 1)] } : {}) }));
    const base = { asset: id, guarantees: [{ kind: 'not_null', column: 'id' }, { kind: 'unique', column: 'id' }], compatibility_mode: 'backward', content_model: 'closed', published_by: `${owner}@acme.com`, published_at: WHEN, changes: [], via: 'direct' };
    put(files, `assets/${id}/versions/1.0.0.yaml`, ({ ...base, version: '1.0.0', schema: schemaOf(i, false) }));
    if (twoVersions) {
      put(files, `assets/${id}/versions/1.1.0.yaml`, ({ ...base, version: '1.1.0', schema: schemaOf(i, true), previous_version: '1.0.0', changes: [{ rule: 'PROPERTY_ADDED_TO_CLOSED_CONTENT_MODEL', path: '/properties/added_later', message: 'added', breaking: false }] }));
    }
    for (let k = 1; k <= i % 4; k++) {
      const team = TEAMS[(i + k) % TEAMS.length];
      put(files, `assets/${id}/consumers/${team}.yaml`, ({ team, asset: id, purpose: `dashboard ${k}`, registered_by: `${team}@acme.com`, registered_at: WHEN, acks: [] }));
    }
  }
  return files;
}

/** Validate every generated file against the registry's zod schemas (src/core/model.ts). */
export async function validate(files) {
  const { parse } = await import('yaml');
  const m = await dist('core/model.js');
  m.registryConfigSchema.parse(parse(files.get('tessera.yaml')));
  const pick = (p) => (p === 'tessera.yaml' ? m.registryConfigSchema : p.startsWith('teams/') ? m.teamSchema : p.endsWith('/asset.yaml') ? m.assetSchema : p.includes('/versions/') ? m.versionSchema : p.includes('/consumers/') ? m.consumerSchema : undefined);
  let n = 0;
  for (const [p, value] of objects) {
    pick(p).parse(value);
    n++;
  }
  // And a sample of the written text, parsed back, to check the YAML round trip.
  for (const p of [...objects.keys()].filter((_, i) => i % 97 === 0)) pick(p).parse(parse(files.get(p)));
  return n + 1;
}

export function fastImport(gitDir, files) {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['fast-import', '--quiet', '--date-format=raw'], { cwd: gitDir, stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b) => (err += b));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`fast-import failed: ${err}`))));
    const msg = 'generate a registry for the UI benchmark\n\nTessera-Event: registry.initialised\nTessera-Actor: bench@acme.com\n';
    const parts = [`commit refs/heads/main\nauthor bench <bench@acme.com> 1768467600 +0000\ncommitter bench <bench@acme.com> 1768467600 +0000\ndata ${Buffer.byteLength(msg)}\n${msg}\n`];
    for (const [p, text] of files) parts.push(`M 100644 inline ${p}\ndata ${Buffer.byteLength(text)}\n${text}\n`);
    parts.push('\n');
    child.stdin.end(parts.join(''));
  });
}

/** One more commit on main adding one file (as a write by another process would). */
export function fastImportOnto(gitDir, file, text) {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['fast-import', '--quiet', '--date-format=raw'], { cwd: gitDir, stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b) => (err += b));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`fast-import failed: ${err}`))));
    const msg = 'bench: one more consumer\n';
    child.stdin.end(`commit refs/heads/main\ncommitter bench <bench@acme.com> 1768467700 +0000\ndata ${Buffer.byteLength(msg)}\n${msg}from refs/heads/main^0\nM 100644 inline ${file}\ndata ${Buffer.byteLength(text)}\n${text}\n\n`);
  });
}

function get(url) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    http
      .get(url, (res) => {
        let bytes = 0;
        res.on('data', (c) => (bytes += c.length));
        res.on('end', () => (res.statusCode === 200 ? resolve({ ms: performance.now() - t0, bytes }) : reject(new Error(`${url}: HTTP ${res.statusCode}`))));
      })
      .on('error', reject);
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => (Number.isNaN(ms) ? '–' : ms < 10 ? ms.toFixed(1) : ms.toFixed(0));

async function server(gitDir, prewarm = false) {
  const { Repository } = await dist('registry/repository.js');
  const { startUiServer } = await dist('ui/http/server.js');
  const repo = await Repository.openGitDir(gitDir);
  const ctx = { repo, identity: async () => ({ name: 'bench', email: 'bench@acme.com' }), now: () => new Date() };
  const ui = await startUiServer({ ctx, host: '127.0.0.1', port: 0, registryLabel: gitDir, prewarm });
  return { url: ui.url, stop: async () => { await ui.close(); repo.close(); } };
}

export async function run() {
  const work = mkdtempSync(path.join(os.tmpdir(), 'tessera-ui-bench-'));
  try {
    const gitDir = path.join(work, 'registry.git');
    const t0 = performance.now();
    const files = await registryFiles();
    const checked = await validate(files);
    const t1 = performance.now();
    await new Promise((res, rej) => spawn('git', ['init', '--bare', '--quiet', '--initial-branch=main', gitDir]).on('close', (c) => (c === 0 ? res() : rej(new Error('git init failed')))));
    await fastImport(gitDir, files);
    const t2 = performance.now();
    console.log(`registry: ${ASSETS.toLocaleString('en-US')} assets, ${files.size.toLocaleString('en-US')} files (${checked.toLocaleString('en-US')} validated against src/core/model.ts); generated+validated in ${fmt(t1 - t0)} ms, fast-import in ${fmt(t2 - t1)} ms`);

    const target = assetIdOf(Math.floor(ASSETS / 2 / 10) * 10); // has two versions, so its page renders a diff
    const pages = [
      ['asset list (first page of 100)', '/assets'],
      ['asset list, search "model_0042"', '/assets?q=model_0042'],
      [`asset page (${target}, with diff)`, `/assets/${target}`],
      ['overview', '/'],
      ['api: all assets (JSON)', '/api/v1/assets?limit=100000'],
    ];
    const rows = pages.map(([name, p]) => ({ name, path: p, cold: 0, restart: 0, warm: 0, bytes: 0 }));
    // Cold: a fresh server and no parse cache on disk; each page measured first in its own process-equivalent (new Repository, new server).
    for (const phase of ['cold', 'restart']) {
      for (const r of rows) {
        if (phase === 'cold') rmSync(path.join(gitDir, 'tessera'), { recursive: true, force: true });
        const s = await server(gitDir);
        const { ms } = await get(s.url.replace(/\/$/, '') + r.path);
        r[phase] = ms;
        await s.stop();
      }
    }
    const s = await server(gitDir);
    for (const r of rows) {
      await get(s.url.replace(/\/$/, '') + r.path);
      const times = [];
      for (let i = 0; i < RUNS; i++) {
        const { ms, bytes } = await get(s.url.replace(/\/$/, '') + r.path);
        times.push(ms);
        r.bytes = bytes;
      }
      r.warm = median(times);
    }
    // After main moves (an ack merges, someone publishes): the index is rebuilt, parsing only the changed blobs.
    const moved = [];
    for (let i = 0; i < Math.min(RUNS, 7); i++) {
      const id = assetIdOf(i * 7 + 1);
      const text = yaml({ team: 'search', asset: id, purpose: `moved ${i}`, registered_by: 'search@acme.com', registered_at: WHEN, acks: [] });
      await fastImportOnto(gitDir, `assets/${id}/consumers/search.yaml`, text);
      moved.push((await get(s.url + 'assets')).ms);
    }
    await s.stop();
    rows.push({ name: 'asset list right after main moved (new commit)', path: '', cold: NaN, restart: NaN, warm: median(moved), bytes: rows[0].bytes });

    console.log(`\n| page | cold (no parse cache) ms | restarted (parse cache on disk) ms | warm, median of ${RUNS} ms | HTML/JSON size | warm < ${TARGET_MS} ms |`);
    console.log('|---|---:|---:|---:|---:|:---:|');
    for (const r of rows) console.log(`| ${r.name} | ${fmt(r.cold)} | ${fmt(r.restart)} | ${fmt(r.warm)} | ${(r.bytes / 1024).toFixed(0)} KB | ${r.warm < TARGET_MS ? 'yes' : 'NO'} |`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
