/**
 * Pattern inclusion (src/core/diff/regex.ts): decided where the automata
 * can say, 'unknown' (conservative) where they cannot. Each decided case is
 * also checked against RegExp on sample strings, so a wrong "wider" fails.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { comparePatterns } from '../../src/core/diff/regex.js';

const SAMPLES = ['', 'a', 'b', 'ab', 'abc', 'xabcx', 'aa', 'a1', '123', '12', '1234', 'z', 'A', 'a\nb', 'foo', 'foobar', ' foo'];

/** Every sample the old pattern accepts, the new one accepts (the necessary half of "wider"). */
function keepsSamples(oldP: string, newP: string): boolean {
  const a = new RegExp(oldP, 'u');
  const b = new RegExp(newP, 'u');
  return SAMPLES.every((s) => !a.test(s) || b.test(s));
}

describe('comparePatterns', () => {
  it.each([
    ['^[a-z]+$', '^[a-z0-9]+$', 'wider'],
    ['^[a-z0-9]+$', '^[a-z]+$', 'narrower'],
    ['^\\d{3}$', '^[0-9]{3}$', 'equal'],
    ['^a$|^b$', '^[ab]$', 'equal'],
    ['abc', 'b', 'wider'],
    ['abc', '^abc', 'narrower'],
    ['a{1,1000}b', 'ab', 'equal'],
    ['^[a-z]+$', '^[0-9]+$', 'incomparable'],
    ['^.*$', '', 'wider'],
    ['^(?:foo|bar)$', '^(?:foo|bar|baz)$', 'wider'],
  ])('%s -> %s is %s', (a, b, rel) => {
    expect(comparePatterns(a, b)).toBe(rel);
    if (rel === 'wider' || rel === 'equal') expect(keepsSamples(a, b)).toBe(true);
    if (rel === 'narrower' || rel === 'equal') expect(keepsSamples(b, a)).toBe(true);
  });

  it.each([
    ['\\bfoo', 'foo'],
    ['^(?=a)[a-z]+$', '^[a-z]+$'],
    ['(?<!x)abc', 'abc'],
    ['(a+)\\1', 'aa'],
    ['(?:^a|b)c', 'c'],
    ['a$b', 'a'],
    ['[', 'a'],
  ])('%s -> %s stays undecided', (a, b) => {
    expect(comparePatterns(a, b)).toBe('unknown');
  });
});

describe('comparePatterns, property: a decided inclusion holds on every probe string', () => {
  const atom = fc.constantFrom('a', 'b', '1', '[ab]', '.', '\\d', '[^a]', '(?:ab)');
  const quant = fc.constantFrom('', '', '?', '*', '+', '{0,2}', '{2}');
  const piece = fc.tuple(atom, quant).map(([a, q]) => a + q);
  const seq = fc.array(piece, { minLength: 1, maxLength: 3 }).map((p) => p.join(''));
  const alt = fc
    .tuple(fc.boolean(), fc.array(seq, { minLength: 1, maxLength: 2 }), fc.boolean())
    .map(([start, parts, end]) => (start ? '^' : '') + (parts.length > 1 ? `(?:${parts.join('|')})` : parts[0]) + (end ? '$' : ''));
  const pattern = fc.array(alt, { minLength: 1, maxLength: 2 }).map((a) => a.join('|'));
  // Every string up to length 4 over a small alphabet, newline included (. does not match it).
  const probes: string[] = [''];
  for (let n = 0, frontier = ['']; n < 4; n++) {
    frontier = frontier.flatMap((s) => ['a', 'b', '1', '\n'].map((c) => s + c));
    probes.push(...frontier);
  }

  it('wider / narrower / equal never contradict RegExp', () => {
    fc.assert(
      fc.property(pattern, pattern, (p, q) => {
        const rel = comparePatterns(p, q);
        const a = new RegExp(p, 'u');
        const b = new RegExp(q, 'u');
        const lost = probes.find((s) => a.test(s) && !b.test(s));
        const gained = probes.find((s) => b.test(s) && !a.test(s));
        if ((rel === 'wider' || rel === 'equal') && lost !== undefined) throw new Error(`${p} -> ${q} called ${rel}, but ${JSON.stringify(lost)} is lost`);
        if ((rel === 'narrower' || rel === 'equal') && gained !== undefined) throw new Error(`${p} -> ${q} called ${rel}, but ${JSON.stringify(gained)} is gained`);
      }),
      { seed: 4242, numRuns: 300 },
    );
  });
});
