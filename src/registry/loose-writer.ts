/**
 * A small commit written as loose objects by this process: a handful of
 * blobs, the trees on their paths, the commit. No git process is started
 * (fast-import costs a process and, below its unpack limit, a second one
 * for unpack-objects); the ref update stays git's own compare-and-swap.
 *
 * Only where the result is certain to be what git would write: a SHA-1
 * repository, a commit with a parent (whose trees are read through the
 * running cat-file process), no signing. Anything else returns undefined
 * and goes through fast-import. A loose object is unreachable until its
 * ref moves, which is safe: gc prunes only unreachable objects older than
 * gc.pruneExpire (two weeks by default).
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, linkSync, mkdirSync, openSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { parseTreeObject, TREE_MODE, type ObjectReader, type TreeEntry } from './object-reader.js';
import type { CommitRequest } from './commit-writer.js';
import { commitBody } from './commit-writer.js';

/**
 * Above this many changed files, fast-import's C beats rebuilding trees here.
 * TESSERA_LOOSE_MAX_CHANGES overrides it (0: every commit through
 * fast-import, as the benchmark's peer and the scratch-ref tests use).
 */
export function looseMaxChanges(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.TESSERA_LOOSE_MAX_CHANGES;
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : 16;
}

const SHA1_HEX = 40;
const FILE_MODE = '100644';


/** The commit's id, or undefined when this request is not one to write here. */
export async function writeLooseCommit(gitDir: string, reader: ObjectReader, req: CommitRequest): Promise<string | undefined> {
  if (!req.parent || req.parent.length !== SHA1_HEX || req.changes.length > looseMaxChanges()) return undefined;
  if ((req.merges ?? []).some((m) => m.length !== SHA1_HEX)) return undefined;
  const root = await reader.lookup(`${req.parent}^{tree}`);
  if (!root || root.type !== 'tree' || root.oid.length !== SHA1_HEX) return undefined;
  const objects = new LooseObjects(gitDir);
  // Changes grouped by directory, applied from the root down: the last change of a path wins.
  const changes = new Map<string, string | null>();
  for (const c of req.changes) changes.set(c.path, c.content);
  const tree = await rebuild(reader, objects, root.body, '', changes);
  const commit = objects.write('commit', commitBody(tree ?? objects.write('tree', Buffer.alloc(0)), req));
  return commit;
}

/**
 * The tree at `prefix` with the changes under it applied, written; undefined
 * when it ends up empty (git drops an empty directory, as fast-import does).
 */
async function rebuild(reader: ObjectReader, objects: LooseObjects, body: Buffer | undefined, prefix: string, changes: Map<string, string | null>): Promise<string | undefined> {
  const entries = new Map<string, TreeEntry>((body ? parseTreeObject(body, SHA1_HEX / 2) : []).map((e) => [e.name, e]));
  const below = new Map<string, Map<string, string | null>>();
  for (const [p, content] of changes) {
    if (!p.startsWith(prefix)) continue;
    const rest = p.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash < 0) {
      if (content === null) entries.delete(rest);
      else entries.set(rest, { mode: FILE_MODE, name: rest, oid: objects.write('blob', Buffer.from(content, 'utf8')) });
      continue;
    }
    const dir = rest.slice(0, slash);
    if (!below.has(dir)) below.set(dir, new Map());
    below.get(dir)!.set(p, content);
  }
  for (const [dir, sub] of below) {
    const current = entries.get(dir);
    const currentBody = current?.mode === TREE_MODE ? (await reader.lookup(current.oid))?.body : undefined;
    const oid = await rebuild(reader, objects, currentBody, `${prefix}${dir}/`, sub);
    if (oid === undefined) entries.delete(dir);
    else entries.set(dir, { mode: TREE_MODE, name: dir, oid });
  }
  if (entries.size === 0) return undefined;
  return objects.write('tree', serializeTree([...entries.values()]));
}

/** Git's order: bytewise by name, a directory compared as if its name ended in '/'. */
function serializeTree(entries: TreeEntry[]): Buffer {
  const key = (e: TreeEntry) => Buffer.from(e.mode === TREE_MODE ? `${e.name}/` : e.name, 'utf8');
  const sorted = entries.map((e) => ({ e, k: key(e) })).sort((a, b) => Buffer.compare(a.k, b.k));
  return Buffer.concat(sorted.flatMap(({ e }) => [Buffer.from(`${e.mode} ${e.name}\0`, 'utf8'), Buffer.from(e.oid, 'hex')]));
}

class LooseObjects {
  private readonly dir: string;

  constructor(gitDir: string) {
    this.dir = path.join(gitDir, 'objects');
  }

  /** Write one object (if it is not there already) and return its id. */
  write(type: 'blob' | 'tree' | 'commit', content: Buffer): string {
    const raw = Buffer.concat([Buffer.from(`${type} ${content.length}\0`), content]);
    const oid = createHash('sha1').update(raw).digest('hex');
    const target = path.join(this.dir, oid.slice(0, 2), oid.slice(2));
    if (existsSync(target)) return oid;
    mkdirSync(path.dirname(target), { recursive: true });
    // As git does: write a temporary file, then link it into place (an existing object is never overwritten).
    // No fsync, as git's default (core.fsync) for loose objects: a killed process loses nothing written.
    const tmp = path.join(this.dir, `tmp_obj_${process.pid}_${randomBytes(4).toString('hex')}`);
    const fd = openSync(tmp, 'wx', 0o444);
    try {
      writeSync(fd, deflateSync(raw));
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(tmp, target);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      unlinkSync(tmp);
    }
    return oid;
  }
}
