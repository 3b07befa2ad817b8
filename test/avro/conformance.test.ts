/**
 * Labelled Avro compatibility cases from public test suites
 * (fixtures/conformance/avro/, provenance in docs/conformance-avro.md), judged
 * by Tessera's Avro checker under the mode each case names. Each label must
 * agree, except the documented departures below; and on every case the rules
 * the walk reports must break exactly when avsc's resolver refuses.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAvroCompatibility, judgeAvroPair, parseAvroValue, type AvroContract } from '../../src/core/avro/index.js';
import { MODES, type Mode } from '../../src/core/diff/types.js';
import { InputError } from '../../src/core/errors.js';

const DIR = fileURLToPath(new URL('../../fixtures/conformance/avro/', import.meta.url));

interface Labelled {
  key: string;
  history: unknown[];
  next: unknown;
  mode: Mode;
  compatible: boolean;
}

function cases(): Labelled[] {
  const out: Labelled[] = [];
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.json')).sort()) {
    const doc = JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as { source: { repo: string; commit: string }; cases: Array<Record<string, unknown>> };
    expect(doc.source.repo, file).toMatch(/^[\w.-]+\/[\w.-]+$/);
    expect(doc.source.commit, file).toMatch(/^[0-9a-f]{40}$/);
    for (const c of doc.cases) {
      const key = `${file}#${String(c.id)}`;
      // Reader/writer pairs (Apache): "can reader read writer's data" is backward with the writer as the old version.
      if ('reader' in c) out.push({ key, history: [c.writer], next: c.reader, mode: 'backward', compatible: c.compatible as boolean });
      else {
        for (const [mode, compatible] of Object.entries(c.labels as Record<string, boolean>)) {
          expect(MODES, key).toContain(mode);
          out.push({ key: `${key} (${mode})`, history: c.history as unknown[], next: c.new, mode: mode as Mode, compatible });
        }
      }
    }
  }
  return out;
}

/** Labels we contradict on purpose, with the reason (docs/conformance-avro.md, "Departures"). */
const DEPARTURES: Record<string, string> = {
  // Apicurio canonicalizes both schemas before checking, and its canonical form drops aliases:
  // the checker compares f1_new without its alias. The schemas as written resolve through the
  // alias (Avro specification; Confluent's copy of this very case, confluent-avro.json#testBasicBackwardsCompatibility#3, says compatible).
  'apicurio-registry.json#testBasicBackwardsCompatibility#3 (backward)': 'aliases dropped by Apicurio canonicalization',
};

/** Schemas avsc refuses to parse, so Tessera refuses them as input (exit 2) rather than judging them. */
const REFUSED_AS_INPUT = /empty union/;

function load(schema: unknown, key: string): AvroContract | InputError {
  try {
    return parseAvroValue(schema, key);
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
}

describe('Avro conformance (fixtures/conformance/avro)', () => {
  const all = cases();

  it('agrees with every label', () => {
    let agree = 0;
    let refused = 0;
    const departed: string[] = [];
    const disagreements: string[] = [];
    for (const c of all) {
      const loaded = [...c.history, c.next].map((s) => load(s, c.key));
      const bad = loaded.find((l): l is InputError => l instanceof InputError);
      if (bad) {
        // A label about a schema we cannot take is not agreed with: it is counted apart and must be an empty union.
        expect(bad.message, c.key).toMatch(REFUSED_AS_INPUT);
        refused++;
        continue;
      }
      const contracts = loaded as AvroContract[];
      const got = checkAvroCompatibility(contracts.slice(0, -1), contracts.at(-1)!, c.mode).compatible;
      if (DEPARTURES[c.key]) {
        expect(got, `${c.key}: a departure must contradict its label`).toBe(!c.compatible);
        departed.push(c.key);
      } else if (got === c.compatible) agree++;
      else disagreements.push(`${c.key}: label compatible=${c.compatible}, got ${got}`);
    }
    const judged = all.length - refused - departed.length;
    console.log(`Avro conformance: ${agree}/${judged} agree (${all.length} labels; ${departed.length} documented departure; ${refused} refused as input: empty unions)`);
    expect(disagreements).toEqual([]);
    expect(agree).toBe(judged);
    expect(departed).toEqual(Object.keys(DEPARTURES));
    expect(refused).toBe(7);
  });

  it('names a breaking rule exactly when avsc refuses, in each direction, on every case', () => {
    const mismatches: string[] = [];
    for (const c of all) {
      const loaded = [...c.history, c.next].map((s) => load(s, c.key));
      if (loaded.some((l) => l instanceof InputError)) continue;
      const [next, ...history] = [loaded.at(-1), ...loaded.slice(0, -1)] as AvroContract[];
      for (const old of history) {
        const j = judgeAvroPair(old, next!);
        for (const d of ['backward', 'forward'] as const) {
          const walkBreaks = j.changes.some((x) => (d === 'backward' ? x.breaksBackward : x.breaksForward));
          if (walkBreaks !== (j.refused[d] !== undefined)) mismatches.push(`${c.key} ${d}: rules say ${walkBreaks ? 'breaking' : 'compatible'}, avsc ${j.refused[d] ?? 'reads'}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});
