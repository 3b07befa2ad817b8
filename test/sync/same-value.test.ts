/** planSync's unchanged check: sameValue decides what comparing key-sorted JSON texts decided. */
import { describe, expect, it } from 'vitest';
import { sameValue } from '../../src/core/sync.js';

function stable(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : val,
  );
}

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LEAVES: unknown[] = [null, undefined, 0, -0, 1, 2.5, NaN, Infinity, '', 'a', 'b', '1', true, false, [], {}];

function value(r: () => number, depth: number): unknown {
  const x = r();
  if (depth > 2 || x < 0.5) return LEAVES[Math.floor(r() * LEAVES.length)];
  if (x < 0.75) return Array.from({ length: Math.floor(r() * 3) }, () => value(r, depth + 1));
  const o: Record<string, unknown> = {};
  for (const k of ['type', 'a', 'b', 'enum'].filter(() => r() < 0.6)) o[k] = value(r, depth + 1);
  return o;
}

/** A variant of v: the same value with keys reordered, or a small change. */
function variant(r: () => number, v: unknown): unknown {
  if (Array.isArray(v)) return r() < 0.1 ? [...v, 1] : v.map((x) => variant(r, x));
  if (v && typeof v === 'object') {
    const entries = Object.entries(v).reverse().map(([k, x]) => [k, variant(r, x)] as const);
    if (r() < 0.1) entries.push(['extra', r() < 0.5 ? undefined : 1]);
    return Object.fromEntries(entries);
  }
  return r() < 0.15 ? LEAVES[Math.floor(r() * LEAVES.length)] : v;
}

describe('sameValue', () => {
  it('agrees with comparing key-sorted JSON on 20,000 random pairs', () => {
    const r = rng(42);
    let equal = 0;
    for (let i = 0; i < 20_000; i++) {
      const a = value(r, 0);
      const b = r() < 0.2 ? value(r, 0) : variant(r, a);
      const want = stable(a) === stable(b);
      if (want) equal++;
      expect(sameValue(a, b), `${stable(a)} vs ${stable(b)}`).toBe(want);
    }
    expect(equal).toBeGreaterThan(2_000);
  });

  it('key order does not matter, values do', () => {
    expect(sameValue({ type: 'object', properties: { a: { type: 'string' } } }, { properties: { a: { type: 'string' } }, type: 'object' })).toBe(true);
    expect(sameValue({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameValue({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameValue({ a: '1' }, { a: 1 })).toBe(false);
  });
});
