// Scoped acknowledgments (issue 16, docs/scoped-acks.md): on a generated
// registry where each of 20 consumer teams declares 3 of a table's 30
// columns, how many teams must acknowledge a proposal that drops one column,
// averaged over dropping each of the 30 in turn: with scoping (the default)
// and with policy.strict_acks: true (every consumer, as before scoping).
// Each proposal is planned by the real binary (`publish --dry-run --json`).
//
//   npm run bench -- scope        (BENCH_SCOPE_TEAMS=20, BENCH_SCOPE_COLUMNS=30, BENCH_SCOPE_FIELDS=3)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, ROOT, fmtMs, personEnv, runProc } from './lib/proc.mjs';
import { gitRun } from './lib/gen-registry.mjs';
import { rng } from './lib/rng.mjs';

const TEAMS = Number(process.env.BENCH_SCOPE_TEAMS ?? 20);
const COLUMNS = Number(process.env.BENCH_SCOPE_COLUMNS ?? 30);
const FIELDS = Number(process.env.BENCH_SCOPE_FIELDS ?? 3);
const dist = (p) => path.join(ROOT, 'dist', p);
const column = (i) => `col_${String(i).padStart(2, '0')}`;
const team = (i) => `team-${String(i).padStart(2, '0')}`;
const PRODUCER = 'pat@acme.example';

function schema(without) {
  const properties = {};
  for (let i = 0; i < COLUMNS; i++) if (column(i) !== without) properties[column(i)] = { type: i % 2 ? 'string' : 'integer' };
  return { type: 'object', properties, required: Object.keys(properties), additionalProperties: false };
}

/** The registry's one commit: config (strict or not), the owner, `events` at 1.0.0, each team registered with its declared fields. */
async function registry(dir, strict, declared) {
  const { initialConfigYaml } = await import(dist('registry/init.js'));
  const { encodeYaml } = await import(dist('core/codec.js'));
  const m = await import(dist('core/model.js'));
  const at = '2026-01-15T09:00:00Z';
  const files = new Map();
  const put = (p, s, v) => files.set(p, encodeYaml(p, s, v));
  files.set('tessera.yaml', initialConfigYaml().replace(/^policy:\n/m, `policy:\n  strict_acks: ${strict}\n`));
  if (!files.get('tessera.yaml').includes('strict_acks')) throw new Error('tessera.yaml has no policy section to set strict_acks in');
  put('teams/core.yaml', m.teamSchema, { name: 'core', members: [PRODUCER], created_by: PRODUCER, created_at: at });
  put('assets/events/asset.yaml', m.assetSchema, { id: 'events', owner: 'core', kind: 'table', tags: [], current_version: '1.0.0' });
  put('assets/events/versions/1.0.0.yaml', m.versionSchema, { asset: 'events', version: '1.0.0', schema: schema(), guarantees: [], compatibility_mode: 'consumer', content_model: 'closed', published_by: PRODUCER, published_at: at, changes: [], via: 'direct' });
  for (const [t, fields] of declared) {
    const member = `${t}@acme.example`;
    put(`teams/${t}.yaml`, m.teamSchema, { name: t, members: [member], created_by: member, created_at: at });
    put(`assets/events/consumers/${t}.yaml`, m.consumerSchema, { team: t, asset: 'events', fields, registered_by: member, registered_at: at, acks: [] });
  }
  mkdirSync(dir, { recursive: true });
  await gitRun(dir, ['init', '--bare', '--quiet', '--initial-branch=main']);
  const msg = 'seed the scope bench registry\n\nTessera-Event: registry.initialised\nTessera-Actor: pat@acme.example\n';
  let s = `commit refs/heads/main\ncommitter pat <${PRODUCER}> 1768467600 +0000\ndata ${Buffer.byteLength(msg)}\n${msg}\n`;
  for (const [p, text] of files) s += `M 100644 inline ${p}\ndata ${Buffer.byteLength(text)}\n${text}\n`;
  await gitRun(dir, ['fast-import', '--quiet', '--date-format=raw'], s + '\n');
}

async function measure(root, strict, declared) {
  const dir = path.join(root, strict ? 'strict.git' : 'scoped.git');
  await registry(dir, strict, declared);
  const home = path.join(root, strict ? 'home-strict' : 'home-scoped');
  const env = personEnv(home, dir, PRODUCER);
  const rows = [];
  const t0 = performance.now();
  for (let i = 0; i < COLUMNS; i++) {
    const file = path.join(root, `drop-${i}.json`);
    writeFileSync(file, JSON.stringify(schema(column(i))));
    const r = await runProc(process.execPath, [BIN, 'publish', 'events', file, '--dry-run', '--json'], { cwd: root, env });
    if (r.code !== 0) throw new Error(`publish --dry-run dropping ${column(i)}: exit ${r.code}: ${r.stderr}`);
    const out = JSON.parse(r.stdout);
    if (out.action !== 'proposal.created') throw new Error(`dropping ${column(i)}: ${out.action}, not a proposal`);
    rows.push({ column: column(i), required: out.proposal.required_teams, informed: out.proposal.informed_teams ?? [] });
  }
  return { rows, ms: performance.now() - t0 };
}

export async function run() {
  const r = rng(16);
  const declared = new Map();
  for (let t = 0; t < TEAMS; t++) {
    const picked = new Set();
    while (picked.size < FIELDS) picked.add(column(Math.floor(r() * COLUMNS)));
    declared.set(team(t), [...picked].sort());
  }
  const root = mkdtempSync(path.join(os.tmpdir(), 'tessera-scope-bench-'));
  try {
    const before = await measure(root, true, declared);
    const after = await measure(root, false, declared);
    const avg = (m) => m.rows.reduce((n, x) => n + x.required.length, 0) / m.rows.length;
    const readers = (c) => [...declared].filter(([, f]) => f.includes(c)).map(([t]) => t).sort();
    const exact = after.rows.every((x) => JSON.stringify(x.required) === JSON.stringify(readers(x.column)));
    const counts = after.rows.map((x) => x.required.length);
    console.log(`${TEAMS} consumer teams, each declaring ${FIELDS} of ${COLUMNS} columns (seeded); one proposal per dropped column, ${COLUMNS} proposals, planned with publish --dry-run\n`);
    console.log('| acknowledgments | average per proposal | min | max | total over all proposals | time (30 dry runs) |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    const row = (label, m) => {
      const c = m.rows.map((x) => x.required.length);
      console.log(`| ${label} | ${avg(m).toFixed(2)} | ${Math.min(...c)} | ${Math.max(...c)} | ${c.reduce((a, b) => a + b, 0)} | ${fmtMs(m.ms)} |`);
    };
    row('before: every consumer (policy.strict_acks: true)', before);
    row('after: scoped to declared fields (default)', after);
    console.log(`\nexpected after: ${TEAMS} x ${FIELDS} / ${COLUMNS} = ${((TEAMS * FIELDS) / COLUMNS).toFixed(2)} teams per column on average; proposals needing no ack at all: ${counts.filter((n) => n === 0).length}`);
    console.log(`- every proposal requires exactly the teams that declared the dropped column: ${exact ? 'pass' : 'FAIL'}`);
    console.log(`- before requires all ${TEAMS} every time: ${before.rows.every((x) => x.required.length === TEAMS) ? 'pass' : 'FAIL'}`);
    if (!exact) process.exitCode = 1;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
