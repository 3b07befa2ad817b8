/**
 * Issue 16 x 17: the Avro rules have footprint kinds too, so scoped
 * acknowledgments scope Avro contracts. Every Avro rule has a kind (a test
 * that fails for a new rule without one), each rule's example nested in a
 * field has that field as its footprint, and a change to a named type shared
 * by several fields touches every one of them.
 */
import { describe, expect, it } from 'vitest';
import { AVRO_RULES } from '../../src/core/avro/catalog.js';
import { checkAvroCompatibility } from '../../src/core/avro/check.js';
import { loadAvroValue } from '../../src/core/avro/load.js';
import { VERDICT_MODES } from '../../src/core/diff/verdicts.js';
import { FOOTPRINT_KINDS } from '../../src/core/diff/catalog-types.js';
import { ALL, footprintOf, footprintOfChanges } from '../../src/core/scope/footprint.js';
import { tessera } from '../helpers/cli.js';

const judge = (old: unknown, next: unknown, mode: (typeof VERDICT_MODES)[number] = 'full') =>
  checkAvroCompatibility([loadAvroValue(old, 'old')], loadAvroValue(next, 'new'), mode).changes;

const rec = (name: string, fields: unknown[]) => ({ type: 'record', name, fields });

describe('Avro footprint kinds', () => {
  it('every Avro rule has one of the kinds', () => {
    const missing = AVRO_RULES.filter((r) => !FOOTPRINT_KINDS.includes(r.footprint)).map((r) => r.id);
    expect(missing).toEqual([]);
    // The check above is what fails for a rule added without a kind (TypeScript aside): prove it can.
    const unkinded = { ...AVRO_RULES[0]!, footprint: undefined } as unknown as (typeof AVRO_RULES)[number];
    expect([unkinded].filter((r) => !FOOTPRINT_KINDS.includes(r.footprint))).toHaveLength(1);
  });

  it("each rule's example, nested in a field, has that field as its footprint under every mode", () => {
    const wrong: string[] = [];
    let seen = 0;
    for (const r of AVRO_RULES) {
      if (!r.example) continue;
      const wrap = (s: unknown) => rec('Outer', [{ name: 'col', type: s }, { name: 'other', type: 'string' }]);
      for (const mode of VERDICT_MODES) {
        for (const c of judge(wrap(r.example.old), wrap(r.example.new), mode).filter((x) => x.rule === r.id)) {
          seen++;
          if (footprintOf(c) !== 'col') wrong.push(`${r.id} ${c.path} -> ${footprintOf(c)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(seen).toBeGreaterThanOrEqual((AVRO_RULES.length - 1) * VERDICT_MODES.length);
  });

  it('at the top level: a field rule names its field, a rename or the record itself touches everything', () => {
    expect(footprintOf({ rule: 'avro.field-removed-without-default', path: '/fields/email' })).toBe('email');
    expect(footprintOf({ rule: 'avro.type-demoted', path: '/fields/amount' })).toBe('amount');
    expect(footprintOf({ rule: 'avro.union-branch-removed', path: '/fields/ref/long' })).toBe('ref');
    expect(footprintOf({ rule: 'avro.enum-symbol-removed-without-default', path: '/fields/status/symbols/HELD' })).toBe('status');
    // Below the top-level field the path is not trusted (a union branch may be a record named "fields").
    expect(footprintOf({ rule: 'avro.type-demoted', path: '/fields/address/fields/fields/zip' })).toBe('address');
    // A rename pairs two names: which columns it touches is not in its path.
    expect(footprintOf({ rule: 'avro.field-renamed-via-alias', path: '/fields/email_address' })).toBe(ALL);
    expect(footprintOf({ rule: 'avro.field-renamed-via-alias', path: '/fields/address/fields/post_code' })).toBe('address');
    expect(footprintOf({ rule: 'avro.field-alias-ambiguous', path: '/fields/a' })).toBe(ALL);
    expect(footprintOf({ rule: 'avro.field-order-changed', path: '/fields' })).toBe(ALL);
    expect(footprintOf({ rule: 'avro.name-changed', path: '' })).toBe(ALL);
    expect(footprintOf({ rule: 'avro.unresolvable', path: '' })).toBe(ALL);
    expect(footprintOf({ rule: 'avro.not-a-rule-yet', path: '/fields/email' })).toBe(ALL);
  });

  it('the real walk: a dropped field is that field, a renamed field everything', () => {
    const v1 = rec('User', [{ name: 'user_id', type: 'long' }, { name: 'email', type: 'string' }, { name: 'amount', type: 'double' }]);
    const dropped = rec('User', [{ name: 'user_id', type: 'long' }, { name: 'amount', type: 'double' }]);
    expect(footprintOfChanges(judge(v1, dropped))).toEqual(['email']);
    const demoted = rec('User', [{ name: 'user_id', type: 'long' }, { name: 'email', type: 'string' }, { name: 'amount', type: 'float' }]);
    expect(footprintOfChanges(judge(v1, demoted))).toEqual(['amount']);
    const renamed = rec('User', [{ name: 'user_id', type: 'long' }, { name: 'mail', type: 'string', aliases: ['email'] }, { name: 'amount', type: 'double' }]);
    expect(footprintOfChanges(judge(v1, renamed))).toEqual([ALL]);
    expect(footprintOfChanges(judge(v1, { ...v1, name: 'Customer' }))).toEqual([ALL]);
  });

  it('a change to a named type shared by two fields touches both', () => {
    const status = (symbols: string[]) => ({ type: 'enum', name: 'Status', symbols });
    const v1 = rec('Order', [{ name: 'id', type: 'long' }, { name: 'status', type: status(['OPEN', 'HELD', 'CLOSED']) }, { name: 'prev_status', type: 'Status' }]);
    const v2 = rec('Order', [{ name: 'id', type: 'long' }, { name: 'status', type: status(['OPEN', 'CLOSED']) }, { name: 'prev_status', type: 'Status' }]);
    const changes = judge(v1, v2, 'backward');
    expect(changes.filter((c) => c.breaking).map((c) => c.path)).toEqual(['/fields/status/symbols/HELD', '/fields/prev_status/symbols/HELD']);
    expect(footprintOfChanges(changes)).toEqual(['prev_status', 'status']);
    // Nested twice: through a shared record, inside a union.
    const addr = (zip: string) => ({ type: 'record', name: 'Address', fields: [{ name: 'zip', type: zip }] });
    const w1 = rec('Customer', [{ name: 'home', type: addr('long') }, { name: 'work', type: ['null', 'Address'], default: null }]);
    const w2 = rec('Customer', [{ name: 'home', type: addr('int') }, { name: 'work', type: ['null', 'Address'], default: null }]);
    expect(footprintOfChanges(judge(w1, w2, 'backward'))).toEqual(['home', 'work']);
  });

  it('a recursive record is still walked once per field, and a change inside it touches the field that holds it', () => {
    const node = (v: string) => rec('Node', [{ name: 'value', type: v }, { name: 'next', type: ['null', 'Node'], default: null }]);
    const changes = judge(node('long'), node('int'), 'backward');
    expect(changes.map((c) => c.path)).toEqual(['/fields/value', '/fields/next/Node/fields/value']);
    expect(footprintOfChanges(changes)).toEqual(['next', 'value']);
  });
});

describe('tessera explain and rules --avro show the footprint kind', () => {
  it('explain prints it; rules --avro --json carries it for every Avro rule', async () => {
    const table = await tessera(['explain', 'avro.field-renamed-via-alias']);
    expect(table.exitCode).toBe(0);
    expect(table.stdout).toMatch(/^footprint: table: the record holding the field at its path/m);
    const field = await tessera(['explain', 'avro.type-demoted', '--json']);
    expect(JSON.parse(field.stdout).rule.footprint).toBe('field');
    const all = JSON.parse((await tessera(['rules', '--avro', '--json'])).stdout);
    expect(all.rules.map((r: { id: string; footprint: string }) => [r.id, r.footprint])).toEqual(AVRO_RULES.map((r) => [r.id, r.footprint]));
  });
});
