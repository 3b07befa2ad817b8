/** The fast YAML emitter behind encodeYaml writes exactly what yaml.stringify writes, or declines. */
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { emitYaml, isPlainSafe } from '../../src/core/yaml-emit.js';
import { planFromManifest } from '../../src/dbt/plan.js';
import { sharedAvailable } from '../helpers/shared.js';
import { FIXTURES, fixtureManifest } from '../dbt/helpers.js';

const reference = (v: unknown) => stringify(v, { lineWidth: 0, aliasDuplicateObjects: false, sortMapEntries: false });

describe('emitYaml', () => {
  it('writes as-is only strings yaml writes plain', () => {
    const words = [
      'null', 'Null', 'NULL', 'true', 'False', 'yes', 'No', 'on', 'OFF', 'y', 'N', '~', '0', '1x', 'e5', 'inf', '.inf', 'NaN',
      'Primary key.', 'model_00001', 'a/b', 'a, b', 'a-b', 'a  b', 'a ', ' a', 'a:b', 'a: b', 'a #b', 'a#b', '-a', '?a', '(a)', 'a(b)c', 'x.y.z',
      'data-platform', 'date-time', 'string', '_x', 'A', 'a.', 'a,', 'a-', 'a/', "it's", 'a"b', 'a\\b', 'a\tb', 'é', 'a—b',
    ];
    // Every string built from the fast path's alphabet, up to three characters, plus the words above.
    const alphabet = ['a', 'Y', '_', '0', ' ', '.', ',', '(', ')', '/', '-'];
    const all = [...words];
    for (const x of alphabet) for (const y of alphabet) for (const z of ['', ...alphabet]) all.push(x + y + z);
    let plain = 0;
    for (const w of all) {
      const yamlText = stringify({ k: w }, { lineWidth: 0 });
      // emitYaml may decline (the caller then uses yaml.stringify); what it writes is yaml's.
      const ours = emitYaml({ k: w });
      if (ours !== undefined) expect(ours, JSON.stringify(w)).toBe(yamlText);
      if (isPlainSafe(w)) {
        plain++;
        expect(yamlText, JSON.stringify(w)).toBe(`k: ${w}\n`);
      }
    }
    expect(plain).toBeGreaterThan(100);
  });

  it('matches yaml.stringify byte for byte on awkward scalars and nesting', () => {
    const v = {
      a: ['x', ['y', 'z'], [], {}, { k: [1, 2.5, 1e-7, 1e21, true, null] }],
      'weird key: #x': "it's", '1': '0x1F', yes: 'no', on: 'off', s: ' lead', t: 'trail ', u: '@at', v: '- dash', w: '"q"',
      x: 'a: b', y: 'c #d', z: '\t tab', e: '', uni: 'héllo ✓ 𝄞', ctl: 'a\u0001b', num: '1.0', ver: '1.0.0', date: '2026-01-01T00:00:00Z', star: '*ref', amp: '&anchor', bang: '!tag',
    };
    const out = emitYaml(v);
    expect(out).toBe(reference(v));
    expect(parse(out!)).toEqual(v);
  });

  it('declines what it cannot promise to render identically', () => {
    expect(emitYaml({ d: 'line 1\nline 2' })).toBeUndefined();
    expect(emitYaml({ n: Number.NaN })).toBeUndefined();
    expect(emitYaml({ z: -0 })).toBeUndefined();
    expect(emitYaml({ d: new Date(0) })).toBeUndefined();
    expect(emitYaml([1, 2])).toBeUndefined();
    expect(emitYaml({})).toBeUndefined();
  });

  it.skipIf(!sharedAvailable('fixtures', 'dbt'))('matches yaml.stringify on every planned contract of the shared manifests', () => {
    let emitted = 0;
    for (const name of FIXTURES) {
      for (const a of planFromManifest(fixtureManifest(name), { ownerDefault: 'x' }).assets) {
        const doc = { asset: a.id, version: '1.0.0', schema: a.schema, guarantees: a.guarantees, published_by: 'a@b.c', published_at: '2026-01-01T00:00:00Z' };
        const out = emitYaml(doc);
        if (out === undefined) continue;
        emitted++;
        expect(out).toBe(reference(doc));
      }
    }
    expect(emitted).toBeGreaterThan(300);
  });
});
