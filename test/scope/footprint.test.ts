/**
 * Issue 16, "what it must show" 5: every rule in the catalog has a footprint
 * kind (a required property of RuleDefinition, and checked here so a rule
 * built around the type fails too), and footprints resolve as documented.
 */
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/core/diff/catalog.js';
import { FOOTPRINT_KINDS } from '../../src/core/diff/catalog-types.js';
import { diffSchemas } from '../../src/core/diff/engine.js';
import { ALL, footprintOf, footprintOfChanges, scopeMeets } from '../../src/core/scope/footprint.js';
import { evaluateTeams, teamFingerprint, scopeRecord } from '../../src/core/scope/teams.js';
import { ruleToJson } from '../../src/cli/render/rules.js';
import { tessera } from '../helpers/cli.js';

describe('footprint kinds', () => {
  it('every rule has one of the kinds, and tessera rules --json carries it', () => {
    const missing = RULES.filter((r) => !FOOTPRINT_KINDS.includes(r.footprint)).map((r) => r.id);
    expect(missing).toEqual([]);
    for (const r of RULES) expect(ruleToJson(r).footprint).toBe(r.footprint);
  });

  it("each rule's example, nested in a column, has that column as its footprint", () => {
    const wrong: string[] = [];
    for (const r of RULES) {
      const wrap = (s: unknown) => ({ type: 'object', properties: { col: s, other: { type: 'string' } } });
      const changes = diffSchemas(wrap(r.example.old), wrap(r.example.new), { mode: 'backward', contentModel: r.example.contentModel ?? 'closed', policy: 'strict', profile: 'tessera' });
      for (const c of changes.filter((x) => x.rule === r.id)) if (footprintOf(c) !== 'col' && !footprintOf(c).startsWith('col.')) wrong.push(`${r.id} ${c.path} -> ${footprintOf(c)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('at the root: a field rule names its column, a table rule and a root type change touch everything', () => {
    expect(footprintOf({ rule: 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL', path: '/properties/email' })).toBe('email');
    expect(footprintOf({ rule: 'MAX_LENGTH_DECREASED', path: '/properties/address/properties/city/maxLength' })).toBe('address.city');
    expect(footprintOf({ rule: 'REQUIRED_ATTRIBUTE_ADDED', path: '/required/email' })).toBe('email');
    expect(footprintOf({ rule: 'ADDITIONAL_PROPERTIES_ADDED', path: '/additionalProperties' })).toBe(ALL);
    expect(footprintOf({ rule: 'ADDITIONAL_PROPERTIES_ADDED', path: '/properties/address/additionalProperties' })).toBe('address');
    expect(footprintOf({ rule: 'DEPENDENCY_ARRAY_ADDED', path: '/dependentRequired/a' })).toBe(ALL);
    expect(footprintOf({ rule: 'TYPE_CHANGED', path: '' })).toBe(ALL);
    expect(footprintOf({ rule: 'SUM_TYPE_NARROWED', path: '' })).toBe(ALL);
    expect(footprintOf({ rule: 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL', path: '/allOf/0/properties/email' })).toBe(ALL);
    expect(footprintOf({ rule: 'NOT_A_RULE_YET', path: '/properties/email' })).toBe(ALL);
    expect(footprintOf({ rule: 'GUARANTEE_REMOVED', path: '/guarantees/not_null(email)' })).toBe('email');
    expect(footprintOf({ rule: 'GUARANTEE_REMOVED', path: '/guarantees/unique_combination(a,b)' })).toBe(ALL);
    expect(footprintOf({ rule: 'GUARANTEE_REMOVED', path: '/guarantees/row_count' })).toBe(ALL);
    expect(footprintOfChanges([
      { rule: 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL', path: '/properties/email', breaking: true },
      { rule: 'TYPE_CHANGED', path: '/properties/amount', breaking: false },
    ])).toEqual(['email']);
  });

  it('a declared nested field meets its column, and a column meets its nested changes', () => {
    expect(scopeMeets(['address.city'], ['address'])).toEqual(['address']);
    expect(scopeMeets(['address'], ['address.city'])).toEqual(['address.city']);
    expect(scopeMeets(['address.zip'], ['address.city'])).toEqual([]);
    expect(scopeMeets(['user_id'], [ALL])).toEqual([ALL]);
    expect(scopeMeets(undefined, ['email'])).toEqual(['email']);
  });
});

describe('tessera explain and rules show the footprint kind', () => {
  it('explain prints it, rules --json carries it for every rule', async () => {
    const field = await tessera(['explain', 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL']);
    expect(field.exitCode).toBe(0);
    expect(field.stdout).toMatch(/^footprint: field: the column it is found in/m);
    const table = await tessera(['explain', 'ADDITIONAL_PROPERTIES_ADDED', '--json']);
    expect(JSON.parse(table.stdout).rule.footprint).toBe('table');
    const all = JSON.parse((await tessera(['rules', '--json'])).stdout);
    expect(all.rules.filter((r: { footprint?: string }) => r.footprint !== 'field' && r.footprint !== 'table')).toEqual([]);
    expect(all.rules).toHaveLength(RULES.length);
  });
});

describe('team fingerprints', () => {
  const changes = [{ rule: 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL', path: '/properties/email', message: 'x', breaking: true }];
  const schema = (amount: string) => ({ type: 'object', properties: { user_id: { type: 'integer' }, amount: { type: amount } } });
  const proposal = (amount: string) => ({ id: 'p-00000001', asset: 'users', to_version: '2.0.0', changes, fingerprint: amount, required_teams: [], scope: scopeRecord(changes, schema(amount)) });

  it('covers only the columns a team reads', () => {
    expect(teamFingerprint(proposal('number'), ['user_id'])).toBe(teamFingerprint(proposal('string'), ['user_id']));
    expect(teamFingerprint(proposal('number'), ['amount'])).not.toBe(teamFingerprint(proposal('string'), ['amount']));
    // Unscoped teams answer the proposal's own fingerprint.
    expect(teamFingerprint(proposal('number'), undefined)).toBe('number');
    expect(teamFingerprint(proposal('number'), ['user_id'], true)).toBe('number');
  });

  it('a proposal made before scoped acknowledgments (no scope) requires every team, and its acks answer its own fingerprint', () => {
    const { scope: _none, ...old } = proposal('number');
    const teams = evaluateTeams(old, [{ team: 'a', fields: ['user_id'] }, { team: 'b' }]);
    expect(teams.every((t) => t.required)).toBe(true);
    expect(teamFingerprint(old, ['user_id'])).toBe('number');
  });

  it('a team without fields is always required; strict makes everyone required', () => {
    const teams = evaluateTeams(proposal('number'), [{ team: 'a', fields: ['user_id'] }, { team: 'b' }]);
    expect(teams.map((t) => [t.team, t.required])).toEqual([['a', false], ['b', true]]);
    expect(evaluateTeams(proposal('number'), [{ team: 'a', fields: ['user_id'] }], true)[0]!.required).toBe(true);
  });
});
