/** Reading Avro schemas: what is accepted, the column view, and one-line refusals. */
import { describe, expect, it } from 'vitest';
import { loadAvroValue, parseAvroValue } from '../../src/core/avro/index.js';
import { validateSchemaValue } from '../../src/core/schema/index.js';
import { InputError } from '../../src/core/errors.js';

const refusal = (value: unknown): string => {
  try {
    loadAvroValue(value, 'x.avsc');
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    const e = err as InputError;
    expect(e.oneLine()).not.toContain('\n');
    return e.oneLine();
  }
  throw new Error('accepted');
};

describe('loading Avro', () => {
  it('takes a list of named types whose last entry is the record using the others', () => {
    const status = { type: 'enum', name: 'Status', namespace: 'shop', symbols: ['OPEN', 'CLOSED'] };
    const money = { type: 'record', name: 'Money', namespace: 'shop', fields: [{ name: 'cents', type: 'long' }] };
    const order = { type: 'record', name: 'Order', namespace: 'shop', fields: [{ name: 'status', type: 'Status' }, { name: 'total', type: 'Money' }] };
    const c = loadAvroValue([status, money, order], 'order.avsc');
    expect(c.schema).toEqual([status, money, order]);
    expect(c.view).toMatchObject({ title: 'shop.Order', properties: { status: { enum: ['OPEN', 'CLOSED'] }, total: { type: 'object', properties: { cents: { type: 'integer' } } } } });
  });

  it('derives a column view that is itself a valid JSON Schema', async () => {
    const c = loadAvroValue(
      {
        type: 'record',
        name: 'Event',
        doc: 'an event',
        fields: [
          { name: 'day', type: { type: 'int', logicalType: 'date' } },
          { name: 'id', type: { type: 'string', logicalType: 'uuid' } },
          { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
          { name: 'tags', type: { type: 'map', values: 'string' } },
          { name: 'either', type: ['null', 'int', 'string'], default: null },
          { name: 'status', type: ['null', { type: 'enum', name: 'S', symbols: ['A'] }], default: null },
          { name: 'parent', type: ['null', 'Event'], default: null, doc: 'the event before' },
        ],
      },
      'e.avsc',
    );
    const p = (c.view as { properties: Record<string, unknown> }).properties;
    expect(p.day).toEqual({ type: 'string', format: 'date', 'x-physical-type': 'date' });
    expect(p.id).toEqual({ type: 'string', format: 'uuid', 'x-physical-type': 'uuid' });
    expect(p.amount).toEqual({ type: 'number', 'x-physical-type': 'numeric' });
    expect(p.tags).toEqual({ type: 'object', additionalProperties: { type: 'string', 'x-physical-type': 'text' } });
    expect(p.either).toEqual({ anyOf: [{ type: 'integer', 'x-physical-type': 'int' }, { type: 'string', 'x-physical-type': 'text' }, { type: 'null' }], default: null });
    expect(p.status).toEqual({ type: ['string', 'null'], enum: ['A', null], default: null });
    expect(p.parent).toEqual({ type: ['object', 'null'], description: 'the event before', default: null });
    await expect(validateSchemaValue(c.view, 'view')).resolves.toBeDefined();
  });

  it('keeps logical types inside unions', () => {
    const c = loadAvroValue({ type: 'record', name: 'R', fields: [{ name: 'd', type: ['null', { type: 'int', logicalType: 'date' }], default: null }] }, 'r.avsc');
    expect((c.view as { properties: Record<string, unknown> }).properties.d).toEqual({ type: ['string', 'null'], format: 'date', 'x-physical-type': 'date', default: null });
  });

  it('names an unknown type', () => {
    expect(refusal({ type: 'record', name: 'R', namespace: 'n', fields: [{ name: 'a', type: 'Missing' }] })).toBe(
      'x.avsc: names an unknown Avro type "n.Missing" (define a named type before its first use (or list it earlier, before the record), or fix the spelling; the primitive types are null, boolean, int, long, float, double, bytes, string)',
    );
  });

  it('refuses a top level that is not a record, an empty union and a non-schema', () => {
    expect(refusal('string')).toMatch(/^x\.avsc: is an Avro string, not a record/);
    expect(refusal(['null', 'string'])).toMatch(/^x\.avsc: is an Avro union \[null, string\], not a record/);
    expect(refusal({ type: 'record', name: 'R', fields: [{ name: 'a', type: [] }] })).toMatch(/^x\.avsc: is not a valid Avro schema: "empty union"/);
    expect(refusal(42)).toMatch(/^x\.avsc: is not an Avro schema/);
    expect(refusal({ type: 'record', name: 'R', fields: [{ name: 'a', type: 'int' }, { name: 'a', type: 'int' }] })).toMatch(/^x\.avsc: is not a valid Avro schema: "duplicate field name/);
  });

  it('parseAvroValue takes any Avro type (the conformance cases compare primitives and unions too)', () => {
    expect(parseAvroValue(['int', 'string'], 'u').node.kind).toBe('union');
  });
});
