/** The UI's version diff (src/http/data/diff.ts) compares two Avro versions as Avro, as publish judged them. */
import { describe, expect, it } from 'vitest';
import { diffVersions } from '../../src/http/data/diff.js';
import { loadAvroValue } from '../../src/core/avro/index.js';
import { assetSchema, versionSchema } from '../../src/core/model.js';

const rec = (fields: unknown[]) => ({ type: 'record', name: 'Order', fields });
const version = (v: string, avro: unknown) =>
  versionSchema.parse({ asset: 'shop.orders', version: v, format: 'avro', avro, schema: loadAvroValue(avro, v).view, compatibility_mode: 'backward', content_model: 'closed', published_by: 'a@acme.com', published_at: '2026-01-01T00:00:00Z' });

describe('diffVersions of Avro versions', () => {
  it('judges by the Avro rules and explains them with the Avro catalog', () => {
    const asset = assetSchema.parse({ id: 'shop.orders', owner: 'checkout', kind: 'topic', current_version: '1.1.0' });
    const from = version('1.0.0', rec([{ name: 'qty', type: 'int' }]));
    const to = version('1.1.0', rec([{ name: 'quantity', type: 'int', aliases: ['qty'] }]));
    const d = diffVersions(asset, from, to, undefined);
    expect(d.compatible).toBe(true);
    expect(d.changes).toEqual([{ rule: 'avro.field-renamed-via-alias', path: '/fields/quantity', message: expect.stringContaining('qty renamed to quantity') as unknown, breaking: false, meaning: 'a field was renamed, with the old name kept as an alias' }]);
  });

  it('a version file without its Avro schema is refused by the model', () => {
    expect(() => versionSchema.parse({ asset: 'a', version: '1.0.0', format: 'avro', schema: {}, compatibility_mode: 'backward', content_model: 'closed', published_by: 'a@acme.com', published_at: 'x' })).toThrow(/format: avro and an avro schema go together/);
  });
});
