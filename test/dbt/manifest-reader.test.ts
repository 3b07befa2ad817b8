/**
 * The hand-written manifest reader (src/dbt/manifest.ts) reads exactly what the
 * zod model it replaced read (test/dbt/manifest-zod-reference.ts): on the six
 * real manifests, the demo, and copies with mistyped, null and non-object
 * values planted in every kind of field.
 */
import { describe, expect, it } from 'vitest';
import { eachColumn, nodeColumns, parseManifest, type DbtNode } from '../../src/dbt/manifest.js';
import { demoJson, fixtureJson, FIXTURES } from './helpers.js';
import { referenceRead } from './manifest-zod-reference.js';
import { sharedAvailable } from '../helpers/shared.js';

function same(json: Record<string, unknown>): void {
  const m = parseManifest(json);
  const ref = referenceRead(json);
  expect(m.metadata).toEqual(ref.metadata);
  for (const kind of ['exposures', 'groups'] as const) {
    expect([...m[kind].keys()], kind).toEqual([...ref[kind].keys()]);
    for (const [k, v] of ref[kind]) expect(m[kind].get(k), `${kind} ${k}`).toEqual(v);
  }
  for (const kind of ['nodes', 'sources'] as const) {
    expect([...m[kind].keys()], kind).toEqual([...ref[kind].keys()]);
    for (const [k, v] of ref[kind]) {
      const node = m[kind].get(k)!;
      // Columns stay raw in the node; read by the rules they equal the model's.
      expect({ ...node, columns: nodeColumns(node) }, `${kind} ${k}`).toEqual(v);
      expect(columnFacts(node), `${kind} ${k} columns`).toEqual(factsFrom(v.columns));
    }
  }
}

/** What planning reads of each column (eachColumn), ... */
function columnFacts(node: DbtNode): unknown[] {
  const out: unknown[] = [];
  eachColumn(node, (c) => out.push({ ...c }));
  return out;
}

/** ... worked out from the columns the zod model read. */
function factsFrom(columns: Map<string, { name?: string | null; quote?: boolean | null; data_type?: string | null; description?: string | null; constraints: unknown[] }>): unknown[] {
  return [...columns].map(([key, c]) => ({
    key,
    name: c.name ?? key,
    quote: c.quote === true,
    dataType: c.data_type ?? undefined,
    description: c.description ?? undefined,
    constraints: c.constraints,
  }));
}

const ODD: unknown[] = [null, 7, 'text', true, [], ['a', 1, null, 'b'], {}, { enforced: 'yes', nodes: [1, 'x'] }];

/** A copy with odd values planted in the fields of every n-th entry (deterministic). */
function planted(json: unknown, seed: number): Record<string, unknown> {
  const copy = structuredClone(json) as Record<string, any>;
  let i = seed;
  const odd = () => ODD[i++ % ODD.length];
  const plant = (o: Record<string, any>, depth: number) => {
    for (const k of Object.keys(o)) {
      if ((i++ * 7 + seed) % 5 === 0) o[k] = odd();
      else if (depth < 3 && o[k] && typeof o[k] === 'object' && !Array.isArray(o[k])) plant(o[k], depth + 1);
      else if (Array.isArray(o[k]) && (i % 3 === 0)) o[k] = [...o[k], odd()];
    }
  };
  for (const section of ['nodes', 'sources', 'exposures', 'groups']) {
    const entries = copy[section];
    if (!entries || typeof entries !== 'object') continue;
    let n = 0;
    for (const key of Object.keys(entries)) {
      if (n++ % 3 !== seed % 3) continue;
      if (n % 17 === 0) entries[key] = odd();
      else if (entries[key] && typeof entries[key] === 'object') plant(entries[key], 0);
    }
  }
  return copy;
}

describe('the manifest reader equals the zod model it replaced', () => {
  // The real manifests live in ../shared; without it these skip, saying so (the demo below still runs).
  const shared = sharedAvailable('fixtures', 'dbt');
  for (const name of FIXTURES) {
    it.skipIf(!shared)(`${name}: as written`, () => same(fixtureJson(name) as Record<string, unknown>));
    it.skipIf(!shared)(`${name}: with mistyped, null and non-object values planted`, () => {
      for (const seed of [1, 2, 3]) same(planted(fixtureJson(name), seed));
    });
  }
  it('the demo manifests', () => {
    same(demoJson('manifest.json') as Record<string, unknown>);
    same(demoJson('manifest-breaking.json') as Record<string, unknown>);
    same(planted(demoJson('manifest.json'), 5));
  });
});
