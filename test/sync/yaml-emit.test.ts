/** The fast YAML emitter behind encodeYaml writes exactly what yaml.stringify writes, or declines. */
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { emitYaml } from '../../src/core/yaml-emit.js';
import { planFromManifest } from '../../src/dbt/plan.js';
import { sharedAvailable } from '../helpers/shared.js';
import { FIXTURES, fixtureManifest } from '../dbt/helpers.js';

const reference = (v: unknown) => stringify(v, { lineWidth: 0, aliasDuplicateObjects: false, sortMapEntries: false });

describe('emitYaml', () => {
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
