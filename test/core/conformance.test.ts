/**
 * Confluent Schema Registry's own JSON Schema compatibility cases, run
 * under the settings that reproduce Confluent: backward, open content
 * model, strict (and lenient where labelled), confluent profile.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedAvailable, sharedPath } from '../helpers/shared.js';
import { checkCompatibility, diffSchemas, type DiffOptions, type JsonSchema } from '../../src/core/diff/index.js';
import { loadCases, sameMultiset, toConfluent, type ConfluentCase } from './confluent-cases.js';

const available = sharedAvailable('conformance', 'confluent');
const strict: DiffOptions = { mode: 'backward', contentModel: 'open', policy: 'strict', profile: 'confluent' };
const lenient: DiffOptions = { ...strict, policy: 'lenient' };

/**
 * Cases whose label the tessera profile deliberately contradicts, with the
 * verdict it gives instead (docs/diff-semantics.md, "Where the syntactic
 * approach departs from pure set semantics"). The confluent profile still
 * agrees with every label.
 */
const TESSERA_DEPARTURES: Record<string, boolean> = {
  // required ["foo"] -> ["bar"], bar undeclared: {"foo": "x"} stops validating.
  'diff-schema-examples.json#55': false,
  'diff-schema-examples-2020-12.json#57': false,
  // additionalItems beside no tuple is ignored by the specification, so changing it alone changes nothing.
  'diff-schema-examples.json#87': true,
  'diff-schema-examples.json#88': true,
};

const label = (c: ConfluentCase): string => `${c.file}#${c.index} ${c.description}`;

describe.skipIf(!available)('Confluent conformance (263 cases)', () => {
  const cases = available ? loadCases() : [];

  it('has all 263 cases', () => {
    expect(cases).toHaveLength(263);
  });

  it('agrees with every compatible / compatible_lenient label', () => {
    const disagreements: string[] = [];
    let lenientChecked = 0;
    for (const c of cases) {
      const got = checkCompatibility([c.original_schema], c.update_schema, strict).compatible;
      if (got !== c.compatible) disagreements.push(`${label(c)}: expected compatible=${c.compatible}, got ${got}`);
      if (c.compatible_lenient !== undefined) {
        lenientChecked++;
        const gotLenient = checkCompatibility([c.original_schema], c.update_schema, lenient).compatible;
        if (gotLenient !== c.compatible_lenient) disagreements.push(`${label(c)}: expected compatible_lenient=${c.compatible_lenient}, got ${gotLenient}`);
      }
    }
    const agree = cases.length - new Set(disagreements.map((d) => d.split(':')[0])).size;
    console.log(`${agree}/${cases.length} agree (strict labels; ${lenientChecked} lenient labels also checked)`);
    expect(disagreements).toEqual([]);
    expect(agree).toBe(263);
  });

  it('reports the same differences as Confluent (multiset of type + path) where the mapping is one to one', () => {
    let exact = 0;
    const mismatches: string[] = [];
    for (const c of cases) {
      const ours = diffSchemas(c.original_schema, c.update_schema, strict);
      const mapped = ours.map(toConfluent);
      if (mapped.some((m) => m === undefined)) {
        mismatches.push(`${label(c)}: unmapped rule in ${ours.map((o) => o.rule).join(', ')}`);
        continue;
      }
      if (sameMultiset(mapped as string[], c.changes)) exact++;
      else mismatches.push(`${label(c)}: expected [${c.changes.join(', ')}] got [${mapped.join(', ')}]`);
    }
    console.log(`${exact}/${cases.length} cases report exactly Confluent's differences (multiset)`);
    if (mismatches.length > 0) console.log('difference-list mismatches:\n  ' + mismatches.join('\n  '));
    // The known, documented deviations (docs/confluent-mapping.md) are few; more means a regression.
    expect(exact).toBeGreaterThanOrEqual(262);
  });

  it('keeps the same verdicts under the tessera profile, except the documented departures from the labels', () => {
    const wrong: string[] = [];
    const departed: string[] = [];
    for (const c of cases) {
      const departure = TESSERA_DEPARTURES[`${c.file}#${c.index}`];
      for (const policy of ['strict', 'lenient'] as const) {
        const label_ = policy === 'strict' ? c.compatible : (c.compatible_lenient ?? c.compatible);
        const expected = departure === undefined ? label_ : departure;
        const got = checkCompatibility([c.original_schema], c.update_schema, { ...strict, policy, profile: 'tessera' }).compatible;
        if (got !== expected) wrong.push(`${policy} ${label(c)}: expected compatible=${expected}, got ${got}`);
        if (departure !== undefined && policy === 'strict') departed.push(label(c));
      }
    }
    expect(wrong).toEqual([]);
    // Every departure names a real case (a renumbered corpus must not silently drop one).
    expect(departed).toHaveLength(Object.keys(TESSERA_DEPARTURES).length);
  });

  it('diffs recursive-schema.json against itself: no changes, and it terminates', () => {
    const schema = JSON.parse(readFileSync(sharedPath('conformance', 'confluent', 'recursive-schema.json'), 'utf8')) as JsonSchema;
    const copy = JSON.parse(JSON.stringify(schema)) as JsonSchema;
    expect(diffSchemas(schema, copy, strict)).toEqual([]);
    expect(diffSchemas(schema, schema, { ...strict, profile: 'tessera', contentModel: 'closed', mode: 'full' })).toEqual([]);
  });
});
