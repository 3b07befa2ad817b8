/**
 * Pattern inclusion (src/core/diff/regex.ts): decided where the automata
 * can say, 'unknown' (conservative) where they cannot. Each decided case is
 * also checked against RegExp on sample strings, so a wrong "wider" fails.
 */
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
