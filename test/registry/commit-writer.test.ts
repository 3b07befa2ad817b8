/**
 * writeCommits: every commit of a transaction through one fast-import, in
 * request order, each on its own scratch ref with its own parent; a bad
 * request fails the whole batch and leaves no ref behind.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeCommits, type CommitRequest } from '../../src/registry/commit-writer.js';
import { RegistryError } from '../../src/core/errors.js';

let dir: string;
const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
const author = { name: 'Pat', email: 'pat@acme.com' };
const request = (over: Partial<CommitRequest>): CommitRequest => ({ parent: undefined, changes: [], message: 'm\n', author, when: 1_700_000_000, ...over });

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tessera-commit-writer-'));
  git('init', '-q', '--bare');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeCommits', () => {
  it('writes many commits in one batch, in request order, each with its own parent and scratch ref', async () => {
    const [base] = await writeCommits(dir, [request({ changes: [{ path: 'a.yaml', content: 'a: 1\n' }, { path: 'b.yaml', content: 'b: 1\n' }], message: 'base\n' })]);
    const written = await writeCommits(dir, [
      request({ parent: base!.commit, changes: [{ path: 'a.yaml', content: 'a: 2\n' }], message: 'main change\n' }),
      request({ parent: base!.commit, changes: [{ path: 'b.yaml', content: null }, { path: 'c/d.yaml', content: 'd: 1\n' }], message: 'proposal\n' }),
      request({ parent: base!.commit, merges: [base!.commit], changes: [], message: 'no change\n', when: 1_700_000_100 }),
    ]);
    expect(written).toHaveLength(3);
    expect(new Set(written.map((w) => w.scratchRef)).size).toBe(3);
    for (const w of written) expect(git('rev-parse', w.scratchRef)).toBe(w.commit);

    const [main, proposal, merge] = written.map((w) => w.commit);
    expect(git('log', '-1', '--format=%s %P', main!)).toBe(`main change ${base!.commit}`);
    expect(git('show', `${main}:a.yaml`)).toBe('a: 2');
    expect(git('show', `${main}:b.yaml`)).toBe('b: 1');
    // The second commit starts from the base, not from the first one of the batch.
    expect(git('log', '-1', '--format=%s %P', proposal!)).toBe(`proposal ${base!.commit}`);
    expect(git('ls-tree', '-r', '--name-only', proposal!).split('\n')).toEqual(['a.yaml', 'c/d.yaml']);
    expect(git('show', `${proposal}:a.yaml`)).toBe('a: 1');
    expect(git('log', '-1', '--format=%s|%P|%at|%ae', merge!)).toBe(`no change|${base!.commit} ${base!.commit}|1700000100|pat@acme.com`);
  });

  it('fails the whole batch on one bad request and leaves no scratch ref', async () => {
    const [base] = await writeCommits(dir, [request({ changes: [{ path: 'a.yaml', content: 'a: 1\n' }] })]);
    const before = git('for-each-ref');
    const bad = writeCommits(dir, [
      request({ parent: base!.commit, changes: [{ path: 'a.yaml', content: 'a: 2\n' }] }),
      request({ parent: '0'.repeat(39) + '1', changes: [{ path: 'a.yaml', content: 'a: 3\n' }] }),
    ]);
    await expect(bad).rejects.toBeInstanceOf(RegistryError);
    expect(git('for-each-ref')).toBe(before);
  });

  it('writes nothing for an empty batch', async () => {
    expect(await writeCommits(dir, [])).toEqual([]);
    expect(git('for-each-ref')).toBe('');
  });
});
