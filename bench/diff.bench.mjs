// Schema diff speed: our engine against json-schema-diff and
// json-schema-diff-validator on the same inputs in the same process.
// Per case: warm up, then the median over rounds of (time for all cases / n).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { median, timeTool } from './diff-timing.mjs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { recursiveUnion } from './lib/recursive-union.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const confluentDir = process.env.TESSERA_SHARED_DIR
  ? path.join(process.env.TESSERA_SHARED_DIR, 'conformance', 'confluent')
  : path.resolve(root, '..', 'shared', 'conformance', 'confluent');

const PEER_TIMEOUT_MS = Number(process.env.BENCH_PEER_TIMEOUT_MS ?? 30_000);

function loadConfluent() {
  if (!existsSync(confluentDir)) return undefined;
  const cases = [];
  for (const f of readdirSync(confluentDir).filter((x) => x.startsWith('diff-') && x.endsWith('.json')).sort()) {
    // diff-schema-examples-2020-12.json has trailing commas (see the README beside it).
    const text = readFileSync(path.join(confluentDir, f), 'utf8').replace(/,(\s*[}\]])/g, '$1');
    for (const c of JSON.parse(text)) cases.push({ old: c.original_schema, new: c.update_schema, compatible: c.compatible });
  }
  return cases;
}

const COLUMN_TYPES = [
  { type: 'string' },
  { type: 'integer' },
  { type: 'number' },
  { type: 'boolean' },
  { type: 'string', format: 'date-time' },
  { type: ['string', 'null'], maxLength: 255 },
];

/** A warehouse table with n columns, and its next version: one column dropped, one added, one retyped, a few re-described. */
export function wideSchemas(n, { nullable = true } = {}) {
  const types = nullable ? COLUMN_TYPES : COLUMN_TYPES.filter((t) => !Array.isArray(t.type));
  const props = {};
  for (let i = 0; i < n; i++) props[`column_${i}`] = { ...types[i % types.length], description: `column ${i}` };
  const old = { type: 'object', properties: props, required: Object.keys(props).filter((_, i) => i % 3 === 0) };
  const next = structuredClone(old);
  // Positions scale with n so small variants (used to probe slow peers) change the same share of columns.
  const at = (k) => `column_${Math.floor((k * n) / 2000)}`;
  delete next.properties[at(7)];
  next.required = next.required.filter((r) => r !== at(7));
  next.properties.column_new = { type: 'string' };
  next.properties[at(11) === at(7) ? at(1000) : at(11)] = { type: 'string' };
  for (let i = 100; i < 110; i++) if (next.properties[at(i)]) next.properties[at(i)].description = `renamed ${at(i)}`;
  return { old, new: next };
}

/** Objects nested `levels` deep (3 columns per level), with changes at the bottom. */
export function deepSchemas(levels) {
  const build = (depth, variant) => {
    const node = { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' }, at: { type: 'string', format: 'date-time' } }, required: ['id'] };
    if (depth < levels) node.properties.child = build(depth + 1, variant);
    else if (variant) {
      node.properties.name = { type: 'string', maxLength: 20 };
      node.properties.extra = { type: 'boolean' };
    }
    return node;
  };
  return { old: build(1, false), new: build(1, true) };
}

/**
 * A peer in a worker, stopped after `timeoutMs`. Stopped after at least one
 * full pass: the median of the passes it finished (`partial`). Stopped before:
 * only a lower bound (`timedOut`): n cases took longer than the timeout.
 */
function timePeer(tool, cases, timeoutMs) {
  const worker = new Worker(new URL('./diff-peer-worker.mjs', import.meta.url), { workerData: { tool, cases } });
  const passes = [];
  let failures = 0;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      if (passes.length > 0) resolve({ partial: true, perCase: median(passes) / cases.length, rounds: passes.length, failures });
      else resolve({ timedOut: true, perCase: (timeoutMs * 1000) / cases.length, rounds: 0, failures });
    }, timeoutMs);
    worker.on('message', (m) => {
      if (m.pass) {
        passes.push(m.pass.us);
        failures = m.pass.failures;
        return;
      }
      clearTimeout(timer);
      void worker.terminate();
      resolve(m.result);
    });
    worker.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

function fmt(us) {
  if (us >= 1e6) return `${(us / 1e6).toFixed(2)} s`;
  if (us >= 1e4) return `${(us / 1e3).toFixed(1)} ms`;
  if (us >= 100) return `${us.toFixed(0)} µs`;
  return `${us.toFixed(1)} µs`;
}

export async function run() {
  const enginePath = path.join(root, 'dist', 'core', 'diff', 'index.js');
  if (!existsSync(enginePath)) {
    console.log(`SKIPPED: ${enginePath} is missing (run npm run build first)`);
    return;
  }
  const { checkCompatibility } = await import(enginePath);
  const { loadSchemaText } = await import(path.join(root, 'dist', 'core', 'schema', 'index.js'));

  const confluentOptions = { mode: 'backward', contentModel: 'open', policy: 'strict', profile: 'confluent' };
  const tesseraOptions = { mode: 'backward', contentModel: 'closed', policy: 'strict', profile: 'tessera' };

  const workloads = [];
  const confluent = loadConfluent();
  if (confluent) workloads.push({ name: `Confluent conformance pairs (${confluent.length})`, cases: confluent, options: confluentOptions, labelled: true });
  else console.log(`SKIPPED the Confluent corpus: ${confluentDir} is absent (put shared/ beside the checkout or set TESSERA_SHARED_DIR)`);
  // json-schema-diff does not finish 2,000 columns within minutes; 80 gives it a measured ratio.
  workloads.push({ name: 'wide: 80 columns', cases: [wideSchemas(80)], options: tesseraOptions });
  workloads.push({ name: 'wide: 2,000 columns', cases: [wideSchemas(2000)], options: tesseraOptions });
  // Nullable columns (type: [x, "null"]) take the engine's type-union path; this row shows the cost without them.
  workloads.push({ name: 'wide: 2,000 columns, none nullable', cases: [wideSchemas(2000, { nullable: false })], options: tesseraOptions });
  workloads.push({ name: 'deep: 30 levels', cases: [deepSchemas(30)], options: tesseraOptions });
  // Exponential before pair memoisation (58 s at 7 types). The peers do not model this shape, so they are not timed on it.
  const openTessera = { ...tesseraOptions, contentModel: 'open' };
  workloads.push({ name: 'recursive union: 12 types, self', cases: [{ old: recursiveUnion(12), new: recursiveUnion(12) }], options: openTessera, peers: false });
  workloads.push({ name: 'recursive union: 12 types, one field narrowed', cases: [{ old: recursiveUnion(12), new: recursiveUnion(12, { change: 'narrow' }) }], options: openTessera, peers: false });

  const rows = [];
  const checks = [];
  for (const w of workloads) {
    const ours = await timeTool((c) => checkCompatibility([c.old], c.new, w.options), w.cases);
    const skipped = { skipped: true, perCase: NaN };
    const jsd = w.peers === false ? skipped : await timePeer('json-schema-diff', w.cases, PEER_TIMEOUT_MS);
    const jsdv = w.peers === false ? skipped : await timePeer('json-schema-diff-validator', w.cases, PEER_TIMEOUT_MS);
    rows.push({ w, ours, jsd, jsdv });
    if (w.labelled) {
      const agree = w.cases.filter((c) => checkCompatibility([c.old], c.new, w.options).compatible === c.compatible).length;
      checks.push(`tessera agrees with ${agree}/${w.cases.length} Confluent labels (open content model, strict policy)`);
      checks.push(`json-schema-diff threw on ${jsd.failures} of ${w.cases.length} pairs (keywords it does not support); json-schema-diff-validator reported ${jsdv.failures} as breaking (by throwing); all of that time is counted`);
      checks.push(`>= 50x faster than json-schema-diff per case: ${jsd.perCase / ours.perCase >= 50 ? 'yes' : 'NO'} (${(jsd.perCase / ours.perCase).toFixed(0)}x)`);
    }
    if (w.name.startsWith('wide: 2,000')) {
      checks.push(`${w.name}: diff under 5 ms: ${ours.perCase < 5000 ? 'yes' : 'NO'} (${fmt(ours.perCase)})`);
    }
    if (w.name === 'wide: 2,000 columns') {
      const texts = w.cases.map((c) => ({ old: JSON.stringify(c.old), new: JSON.stringify(c.new) }));
      const input = await timeTool(async (t) => {
        await loadSchemaText(t.old, 'old.json', 'json');
        await loadSchemaText(t.new, 'new.json', 'json');
      }, texts);
      checks.push(`2,000-column schema input (parse + meta-schema + $ref check, both files): ${fmt(input.perCase)}`);
    }
  }

  console.log('| workload | tessera | json-schema-diff | ratio | json-schema-diff-validator | ratio |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const { w, ours, jsd, jsdv } of rows) {
    const cell = (peer) => (peer.skipped ? 'not run' : peer.timedOut ? `> ${fmt(peer.perCase)} (stopped)` : peer.partial ? `${fmt(peer.perCase)} (${peer.rounds} passes)` : fmt(peer.perCase));
    const ratio = (peer, digits) => peer.skipped ? '-' : `${peer.timedOut ? '> ' : ''}${(peer.perCase / ours.perCase).toFixed(digits)}x`;
    console.log(`| ${w.name} | ${fmt(ours.perCase)} | ${cell(jsd)} | ${ratio(jsd, 0)} | ${cell(jsdv)} | ${ratio(jsdv, 1)} |`);
  }
  console.log(`\nTimes are per case (median over rounds after a warm-up); ratio = peer / tessera. A peer still running after ${PEER_TIMEOUT_MS / 1000} s is stopped: "(k passes)" is the median of the passes it finished (the first is its warm-up), "> t (stopped)" means it did not finish one pass, a lower bound.`);
  for (const c of checks) console.log(`- ${c}`);
}
