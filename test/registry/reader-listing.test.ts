/**
 * The reads a write's inline delivery makes without starting git must say
 * what git says: Snapshot.loadPaths lists the same files as `ls-tree -r`
 * with the same pathspecs, and parseCommitObject gives what `git log
 * --format=%aI %ae %(trailers:only,unfold)` prints. Both checked against git
 * itself on generated trees and messages, not hand-picked ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeCommits } from '../../src/registry/commit-writer.js';
import { ObjectReader } from '../../src/registry/object-reader.js';
import { Snapshot } from '../../src/registry/snapshot.js';
import { parseCommitObject, parseTrailerLines } from '../../src/core/commit-message.js';

let dir: string;
let reader: ObjectReader;
const git = (args: string[], env: Record<string, string> = {}) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });

/** A small deterministic generator, so a failure names a reproducible seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tessera-reader-listing-'));
  git(['init', '-q', '--bare']);
  reader = new ObjectReader(dir);
});
afterAll(() => {
  reader.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Snapshot.loadPaths lists what ls-tree -r lists', () => {
  it('for 40 generated trees and their files, directories, nested directories, missing paths and trailing slashes', async () => {
    const names = ['a', 'b', 'assets', 'consumers', 'a-b', 'a.b', 'z', 'x y', 'ü'];
    for (let seed = 1; seed <= 40; seed++) {
      const next = rng(seed);
      const pick = () => names[Math.floor(next() * names.length)]!;
      const files = new Map<string, string>();
      for (let i = 0; i < 5 + Math.floor(next() * 25); i++) {
        const depth = 1 + Math.floor(next() * 4);
        const p = Array.from({ length: depth }, pick).join('/') + '.yaml';
        // A path cannot be both a file and a directory: keep the tree valid.
        if ([...files.keys()].some((f) => f.startsWith(p.replace(/\.yaml$/, '') + '/') || p.startsWith(f + '/'))) continue;
        files.set(p, `v: ${i}\n`);
      }
      const [c] = await writeCommits(dir, [{ parent: undefined, changes: [...files].map(([p, content]) => ({ path: p, content })), message: `seed ${seed}\n`, author: { name: 'T', email: 't@x' }, when: 1_700_000_000 }]);
      const commit = c!.commit;
      const dirs = new Set([...files.keys()].flatMap((f) => f.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
      const candidates = [...files.keys(), ...dirs, 'missing', 'a/missing.yaml', ...[...dirs].map((d) => `${d}/`)];
      for (let q = 0; q < 6; q++) {
        const paths = Array.from({ length: 1 + Math.floor(next() * 3) }, () => candidates[Math.floor(next() * candidates.length)]!);
        const fromReader = await Snapshot.loadPaths(commit, reader, paths);
        const fromGit = await Snapshot.load(dir, commit, reader, { pathspecs: paths });
        const oids = (s: Snapshot) => s.allPaths().map((p) => `${p} ${s.oid(p)}`);
        expect(oids(fromReader), `seed ${seed}, paths ${JSON.stringify(paths)}`).toEqual(oids(fromGit));
      }
    }
  });

  it('an undefined commit (an empty registry) lists nothing', async () => {
    expect((await Snapshot.loadPaths(undefined, reader, ['a'])).allPaths()).toEqual([]);
  });
});

describe('parseCommitObject reads a commit as git log does', () => {
  it('for 60 generated messages and author dates in several time zones', async () => {
    const keys = ['Tessera-Event', 'Tessera-Asset', 'Tessera-Actor', 'Tessera-Proposal', 'Signed-off-by'];
    const zones = ['+0000', '-0530', '+0545', '+1400', '-1200'];
    let parent: string | undefined;
    for (let seed = 1; seed <= 60; seed++) {
      const next = rng(1000 + seed);
      const trailers = Array.from({ length: Math.floor(next() * 4) }, (_, i) => {
        const value = `v${seed}-${i}`;
        // Now and then a folded trailer: the continuation line joins its value.
        return next() < 0.2 ? `${keys[i % keys.length]}: ${value}\n  continued` : `${keys[i % keys.length]}: ${value}`;
      });
      const body = next() < 0.5 ? 'A body line: not a trailer.\n\n' : '';
      const message = `subject ${seed}\n\n${body}${trailers.join('\n')}${trailers.length ? '\n' : ''}`;
      const date = `${1_700_000_000 + seed * 3607} ${zones[seed % zones.length]}`;
      const tree = git(['mktree'], {}).trim();
      const commit = git(['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', message], { GIT_AUTHOR_NAME: 'A', GIT_AUTHOR_EMAIL: `a${seed}@x.example`, GIT_AUTHOR_DATE: date, GIT_COMMITTER_NAME: 'C', GIT_COMMITTER_EMAIL: 'c@x', GIT_COMMITTER_DATE: date }).trim();
      parent = commit;
      const [at, email, trailerText] = git(['log', '-1', '--format=%aI%x1f%ae%x1f%(trailers:only,unfold)', commit]).replace(/\n$/, '').split('\x1f') as [string, string, string];
      const parsed = parseCommitObject((await reader.read(commit)).toString('utf8'));
      expect(parsed, `seed ${seed}`).toBeDefined();
      expect(parsed!.authorIso, `seed ${seed}`).toBe(at);
      expect(parsed!.authorEmail).toBe(email);
      expect([...parsed!.trailers], `seed ${seed}: ${JSON.stringify(message)}`).toEqual([...parseTrailerLines(trailerText)]);
    }
  });
});

describe('writeLooseCommit writes what fast-import writes', () => {
  it('the same commit id for 40 generated change sets: adds, replacements, deletes that empty a directory, a key trailer, merges', async () => {
    const { writeLooseCommit } = await import('../../src/registry/loose-writer.js');
    const author = { name: 'Pat <x>', email: 'pat@acme.com' };
    const names = ['assets', 'users', 'consumers', 'a', 'a-b', 'a.b', 'b', 'ü', 'x y'];
    let base = (await writeCommits(dir, [{ parent: undefined, changes: [{ path: 'tessera.yaml', content: 'v: 1\n' }], message: 'init\n', author, when: 1_700_000_000 }]))[0]!.commit;
    for (let seed = 1; seed <= 40; seed++) {
      const next = rng(5000 + seed);
      const pick = () => names[Math.floor(next() * names.length)]!;
      const existing = git(['ls-tree', '-r', '--name-only', base]).split('\n').filter(Boolean);
      const changes: Array<{ path: string; content: string | null }> = [];
      for (let i = 0; i < 1 + Math.floor(next() * 6); i++) {
        if (existing.length > 1 && next() < 0.3) changes.push({ path: existing[Math.floor(next() * existing.length)]!, content: null });
        else {
          const p = Array.from({ length: 1 + Math.floor(next() * 3) }, pick).join('/') + '.yaml';
          if (existing.some((f) => f.startsWith(p.replace(/\.yaml$/, '') + '/') || p.startsWith(f + '/'))) continue;
          changes.push({ path: p, content: `n: ${seed}-${i}\n` });
        }
      }
      const req = { parent: base, changes, message: `change ${seed}\n\nTessera-Event: contract.published\n`, author: seed % 3 === 0 ? { ...author, key: 'k1' } : author, when: 1_700_000_000 + seed, ...(seed % 7 === 0 ? { merges: [base] } : {}) };
      const loose = await writeLooseCommit(dir, reader, req);
      const [fast] = await writeCommits(dir, [req]);
      expect(loose, `seed ${seed}: ${JSON.stringify(changes)}`).toBe(fast!.commit);
      git(['update-ref', '-d', fast!.scratchRef]);
      base = fast!.commit;
    }
    expect(git(['fsck', '--strict', '--no-dangling', base])).toBe('');
  });

  it('is not used for a root commit or a SHA-256 parent: fast-import writes those', async () => {
    const { writeLooseCommit } = await import('../../src/registry/loose-writer.js');
    const author = { name: 'P', email: 'p@x' };
    expect(await writeLooseCommit(dir, reader, { parent: undefined, changes: [], message: 'm\n', author, when: 1 })).toBeUndefined();
    expect(await writeLooseCommit(dir, reader, { parent: 'a'.repeat(64), changes: [], message: 'm\n', author, when: 1 })).toBeUndefined();
  });
});
