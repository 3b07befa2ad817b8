/**
 * A schema pair the diff engine refuses: exit 2 with "schema too complex to
 * compare", never a hang or an internal error.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tessera } from '../helpers/cli.js';
// @ts-expect-error: plain ESM shared with the bench, no type declarations
import { recursiveUnion } from '../../bench/lib/recursive-union.mjs';

const gen = recursiveUnion as (n: number, opts?: { change?: 'narrow' | 'widen' }) => unknown;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tessera-diff-complex-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('tessera diff on a pathological schema', () => {
  it('26 mutually recursive inline unions with one change: exit 2, "schema too complex to compare"', async () => {
    const oldF = path.join(dir, 'old.json');
    const newF = path.join(dir, 'new.json');
    writeFileSync(oldF, JSON.stringify(gen(26)));
    writeFileSync(newF, JSON.stringify(gen(26, { change: 'narrow' })));
    const r = await tessera(['diff', oldF, newF, '--content-model', 'open']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^tessera: schema too complex to compare: /);
    expect(r.stdout).toBe('');
  });

  it('the 12-type version is judged: breaking, exit 1', async () => {
    const oldF = path.join(dir, 'old12.json');
    const newF = path.join(dir, 'new12.json');
    writeFileSync(oldF, JSON.stringify(gen(12)));
    writeFileSync(newF, JSON.stringify(gen(12, { change: 'narrow' })));
    const r = await tessera(['diff', oldF, newF, '--content-model', 'open']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/MAX_LENGTH_DECREASED/);
  });
});
