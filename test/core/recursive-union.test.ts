/**
 * Recursive unions written inline (every definition's fields hold a oneOf of
 * $refs to all definitions, as OpenAPI generators emit them). Diffing used to
 * take time exponential in the number of types; each (old, new) pair is now
 * compared once per direction. Cost is asserted in comparisons, not seconds.
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM shared with the bench, no type declarations
import { recursiveUnion } from '../../bench/lib/recursive-union.mjs';
import { measureDirection } from '../../src/core/diff/engine.js';
import { COMPARISON_BUDGET } from '../../src/core/diff/context.js';
import { checkCompatibility, diffSchemas, type DiffOptions, type JsonSchema } from '../../src/core/diff/index.js';
import { ExitCode, SchemaTooComplexError } from '../../src/core/errors.js';

const gen = recursiveUnion as (n: number, opts?: { change?: 'narrow' | 'widen'; at?: number }) => JsonSchema;
const open: DiffOptions = { mode: 'backward', contentModel: 'open', policy: 'strict', profile: 'tessera' };

describe('recursive inline unions', () => {
  it('a 12-type union diffed against itself: no changes, in a number of comparisons linear in the types', () => {
    for (const profile of ['tessera', 'confluent'] as const) {
      const r = measureDirection(gen(12), gen(12), { ...open, profile });
      expect(r.changes).toEqual([]);
      expect(r.comparisons).toBeLessThan(12 * 12 * 4);
    }
    expect(diffSchemas(gen(12), gen(12), { ...open, mode: 'full', contentModel: 'closed' })).toEqual([]);
  });

  it('grows polynomially with one field changed: doubling the types multiplies the comparisons by less than 2^5', () => {
    // n^2 type pairs, each pairing n x n union branches: about n^4. Before memoisation it grew like n!.
    const cost = (n: number): number => measureDirection(gen(n), gen(n, { change: 'narrow' }), open).comparisons;
    const c6 = cost(6);
    const c12 = cost(12);
    expect(c12).toBeLessThan(c6 * 2 ** 5);
    expect(c12).toBeLessThan(COMPARISON_BUDGET / 5);
  });

  it.each([0, 5, 11])('one field narrowed in type %i: breaking backward, compatible forward', (at) => {
    const next = gen(12, { change: 'narrow', at });
    const back = checkCompatibility([gen(12)], next, open);
    expect(back.compatible).toBe(false);
    expect(back.changes.some((c) => c.rule === 'MAX_LENGTH_DECREASED' && c.path.endsWith('/properties/label/maxLength'))).toBe(true);
    expect(checkCompatibility([gen(12)], next, { ...open, mode: 'forward' }).compatible).toBe(true);
  });

  it.each([0, 11])('one field widened in type %i: compatible backward, breaking forward', (at) => {
    const next = gen(12, { change: 'widen', at });
    expect(checkCompatibility([gen(12)], next, open).compatible).toBe(true);
    expect(checkCompatibility([gen(12)], next, { ...open, mode: 'forward' }).compatible).toBe(false);
  });

  it('reports a change once, however many routes lead to it', () => {
    const changes = diffSchemas(gen(12), gen(12, { change: 'narrow', at: 11 }), open).filter((c) => c.rule === 'MAX_LENGTH_DECREASED');
    expect(changes).toHaveLength(1);
  });

  it('past the comparison budget: a typed error that exits 2, not a hang', () => {
    let caught: unknown;
    try {
      measureDirection(gen(12), gen(12, { change: 'narrow' }), open, new Map(), 100);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(SchemaTooComplexError);
    expect((caught as SchemaTooComplexError).exitCode).toBe(ExitCode.Usage);
    expect((caught as Error).message).toMatch(/^schema too complex to compare/);
  });
});
