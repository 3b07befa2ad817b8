/** The ODCS -> Tessera mapping rules one by one (src/core/formats/odcs-import.ts), on small documents. */
import { describe, expect, it } from 'vitest';
import { mapOdcs } from '../../src/core/formats/index.js';

const contract = (schema: unknown[], more: Record<string, unknown> = {}) => ({ apiVersion: 'v3.1.0', kind: 'DataContract', id: 'c', version: '1.0.0', status: 'active', schema, ...more });
const kinds = (gs: Array<{ kind: string; column?: string; columns?: string[] }>) => gs.map((g) => `${g.kind}(${g.column ?? (g.columns ?? []).join(',')})`);

describe('quality rules', () => {
  it('the "none allowed" library rules are the well-known kinds; other thresholds and rule types are kept by name', () => {
    const m = mapOdcs(contract([{
      name: 't',
      properties: [
        { name: 'a', logicalType: 'string', quality: [{ metric: 'nullValues', mustBe: 0 }, { metric: 'nullValues', mustBeLessThan: 5, unit: 'percent' }] },
        { name: 'b', logicalType: 'string', quality: [{ metric: 'invalidValues', mustBe: 0, arguments: { validValues: ['x', 'y'] } }, { metric: 'invalidValues', mustBe: 0, arguments: { pattern: '^[a-z]+$' } }] },
        { name: 'c', logicalType: 'string', quality: [{ type: 'sql', query: 'select 1', mustBe: 1 }, { metric: 'duplicateValues', mustBe: 0, unit: 'percent' }] },
      ],
      quality: [{ metric: 'duplicateValues', mustBe: 0, arguments: { properties: ['a', 'b'] } }, { metric: 'rowCount', mustBeBetween: [1, 10] }],
    }]), 'c.yaml');
    expect(kinds(m.objects[0]!.guarantees)).toEqual(['not_null(a)', 'odcs.nullValues(a)', 'accepted_values(b)', 'odcs.invalidValues(b)', 'odcs.sql(c)', 'odcs.duplicateValues(c)', 'unique(a,b)', 'row_count()']);
    expect(m.objects[0]!.guarantees[2]).toMatchObject({ values: ['x', 'y'], config: { odcs: { metric: 'invalidValues', mustBe: 0, arguments: { validValues: ['x', 'y'] } } } });
  });

  it('severity error and warning become error and warn; others stay in the ODCS original only', () => {
    const m = mapOdcs(contract([{ name: 't', properties: [{ name: 'a', quality: [{ metric: 'nullValues', mustBe: 0, severity: 'warning' }, { metric: 'nullValues', mustBe: 0, severity: 'info' }] }] }]), 'c.yaml');
    expect(m.objects[0]!.guarantees.map((g) => g.severity)).toEqual(['warn', undefined]);
  });
});

describe('keys, nesting and types', () => {
  it('a composite primary key is ordered by primaryKeyPosition; nested properties keep their own required', () => {
    const m = mapOdcs(contract([{
      name: 't',
      properties: [
        { name: 'b', logicalType: 'integer', primaryKey: true, primaryKeyPosition: 2 },
        { name: 'a', logicalType: 'integer', primaryKey: true, primaryKeyPosition: 1, unique: true },
        { name: 'addr', logicalType: 'object', required: true, properties: [{ name: 'zip', logicalType: 'string', required: true, logicalTypeOptions: { pattern: '^[0-9]{5}$' } }, { name: 'city', logicalType: 'string' }] },
        { name: 'tags', logicalType: 'array', items: { logicalType: 'string', logicalTypeOptions: { maxLength: 10 } } },
        { name: 'at', logicalType: 'timestamp', physicalType: 'TIMESTAMP WITH TIME ZONE', logicalTypeOptions: { timezone: true } },
      ],
    }]), 'c.yaml');
    const o = m.objects[0]!;
    expect(kinds(o.guarantees)).toEqual(['unique(a)', 'primary_key(a,b)']);
    expect(o.schema.required).toEqual(['addr']);
    const props = o.schema.properties as Record<string, Record<string, unknown>>;
    expect(props.addr).toEqual({ type: 'object', properties: { zip: { type: 'string', pattern: '^[0-9]{5}$' }, city: { type: 'string' } }, required: ['zip'] });
    expect(props.tags).toEqual({ type: 'array', items: { type: 'string', maxLength: 10 } });
    expect(props.at).toEqual({ type: 'string', format: 'date-time', 'x-physical-type': 'timestamp with time zone', 'x-odcs': { physicalType: 'TIMESTAMP WITH TIME ZONE', logicalTypeOptions: { timezone: true } } });
  });

  it('refuses two objects that make the same asset id, and a property name given twice', () => {
    expect(() => mapOdcs(contract([{ name: 'Order Lines' }, { name: 'order-lines' }]), 'c.yaml')).toThrow(/schema objects "Order Lines" and "order-lines" make the same asset id part "order-lines"/);
    expect(() => mapOdcs(contract([{ name: 't', properties: [{ name: 'a' }, { name: 'a' }] }]), 'c.yaml')).toThrow(/\/schema\/0\/properties\/1 repeats the property name "a"/);
  });
});

describe('SLAs, team and support', () => {
  it('latency and freshness become freshness on the object their element names; other units convert, unreadable ones are not mapped', () => {
    const objects = [{ name: 'orders', properties: [{ name: 'at' }] }, { name: 'lines', physicalName: 'order_lines', properties: [{ name: 'at' }] }];
    const m = mapOdcs(contract(objects, { slaProperties: [
      { property: 'latency', value: 1, unit: 'w', element: 'order_lines.at' },
      { property: 'freshness', value: '3', unit: 'days', element: 'orders.at' },
      { property: 'latency', value: 2, unit: 'fortnights', element: 'orders.at' },
      { property: 'latency', value: 2, unit: 'd' },
    ] }), 'c.yaml');
    expect(m.objects[0]!.guarantees).toEqual([{ kind: 'freshness', field: 'at', config: { error_after: { count: 3, period: 'day' }, odcs: { property: 'freshness', value: '3', unit: 'days', element: 'orders.at' } }, source: 'odcs' }]);
    expect(m.objects[1]!.guarantees[0]).toMatchObject({ kind: 'freshness', field: 'at', config: { error_after: { count: 7, period: 'day' } } });
    expect(m.notMapped).toEqual([
      'slaProperties/2 (latency): unit "fortnights" or value "2" is not a duration; kept',
      'slaProperties/3 (latency): no element (nor slaDefaultElement) says which of the 2 schema objects it is about; kept',
    ]);
    // What was not mapped stays on the contract, for export.
    expect(((m.objects[0]!.schema['x-odcs'] as { contract: { slaProperties: unknown[] } }).contract.slaProperties)).toHaveLength(2);
  });

  it('a v3.1 team offers its name as owner and its current email members; a v3.0 team list offers no owner', () => {
    const team = { name: 'Data Office', members: [{ username: 'ann@x.io' }, { username: 'old@x.io', dateOut: '2020-01-01' }, { username: 'bob' }] };
    expect(mapOdcs(contract([{ name: 't' }], { team }), 'c.yaml').owner).toEqual({ team: 'data-office', from: 'team.name "Data Office"', members: ['ann@x.io'], usernames: ['bob'] });
    expect(mapOdcs(contract([{ name: 't' }], { team: [{ username: 'ann@x.io' }] }), 'c.yaml').owner).toBeUndefined();
  });

  it('support channels: slack, email and chat webhooks are offered; the rest are listed as not mapped', () => {
    const m = mapOdcs(contract([{ name: 't' }], { support: [
      { channel: '#data', tool: 'slack' },
      { channel: 'data', tool: 'email', url: 'mailto:data@x.io' },
      { channel: 'alerts', tool: 'teams', url: 'https://outlook.office.com/webhook/1' },
      { channel: 'tickets', tool: 'ticket', url: 'https://jira.x.io' },
    ] }), 'c.yaml');
    expect(m.channels.map((c) => `${c.name} ${c.type}`)).toEqual(['data slack', 'data-email email', 'alerts webhook']);
    expect(m.notMapped).toEqual(['support/3 (tickets): tool ticket, not a channel Tessera sends to (slack, email, or a teams/googlechat/discord webhook URL); kept']);
  });
});
