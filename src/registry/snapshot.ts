/**
 * A read-only view of the registry at one commit: one `ls-tree` for the
 * listing, one shared `cat-file --batch` for contents, and parsed files
 * cached by blob id (in memory, and on disk for whole-registry commands).
 */
import type { z } from 'zod';
import { git } from './git.js';
import { parseTreeObject, SUBMODULE_MODE, TREE_MODE, type ObjectReader } from './object-reader.js';
import type { ParseCache } from './parse-cache.js';
import { parseYamlText, validateValue } from '../core/codec.js';

export class Snapshot {
  private readonly parsed = new Map<string, unknown>();

  private constructor(
    /** The commit this snapshot shows; undefined for an empty registry. */
    readonly commit: string | undefined,
    private readonly entries: Map<string, string>,
    private readonly reader: ObjectReader,
    private readonly cache: ParseCache | undefined,
  ) {}

  /**
   * List the tree at `commit`, limited to `pathspecs` when given (a command
   * about one asset lists only that asset's directory).
   */
  static async load(gitDir: string, commit: string | undefined, reader: ObjectReader, options: { pathspecs?: string[]; cache?: ParseCache } = {}): Promise<Snapshot> {
    const entries = new Map<string, string>();
    if (commit) {
      const args = ['ls-tree', '-r', '-z', '--full-tree', commit];
      if (options.pathspecs && options.pathspecs.length > 0) args.push('--', ...options.pathspecs);
      const r = await git(args, { cwd: gitDir });
      for (const rec of r.stdout.split('\0')) {
        if (!rec) continue;
        // "<mode> SP <type> SP <oid> TAB <path>"
        const tab = rec.indexOf('\t');
        const meta = rec.slice(0, tab);
        if (!meta.includes(' blob ')) continue;
        entries.set(rec.slice(tab + 1), meta.slice(meta.lastIndexOf(' ') + 1));
      }
    }
    return new Snapshot(commit, entries, reader, options.cache);
  }

  /**
   * The same view for a few named paths (files or directories, as
   * pathspecs), listed through the running cat-file process: no git process
   * is started. For small reads on a hot path (a write's own notifications);
   * a directory is walked one tree object at a time, so large ones belong to
   * `load`.
   */
  static async loadPaths(commit: string | undefined, reader: ObjectReader, paths: readonly string[], options: { cache?: ParseCache } = {}): Promise<Snapshot> {
    const entries = new Map<string, string>();
    if (commit) {
      const walk = async (path: string, name: string): Promise<void> => {
        const o = await reader.lookup(name);
        if (!o) return;
        if (o.type === 'blob') entries.set(path, o.oid);
        // Blobs and symlinks are files, as `ls-tree` lists them; submodule commits are skipped, as `load` skips every non-blob.
        else if (o.type === 'tree') {
          await Promise.all(
            parseTreeObject(o.body, o.oid.length / 2)
              .filter((e) => e.mode !== SUBMODULE_MODE)
              .map((e) => (e.mode === TREE_MODE ? walk(`${path}/${e.name}`, e.oid) : void entries.set(`${path}/${e.name}`, e.oid))),
          );
        }
      };
      await Promise.all(paths.map((p) => p.replace(/\/+$/, '')).filter((p) => p !== '').map((p) => walk(p, `${commit}:${p}`)));
    }
    return new Snapshot(commit, entries, reader, options.cache);
  }

  /**
   * This snapshot's files split into parts by `keyOf(path)` (undefined: left
   * out), each a snapshot of the same commit sharing the reader and cache: one
   * pass over the listing where a `list()` per part would be one pass each.
   */
  split(keyOf: (path: string) => string | undefined): Map<string, Snapshot> {
    const parts = new Map<string, Map<string, string>>();
    for (const [path, oid] of this.entries) {
      const key = keyOf(path);
      if (key === undefined) continue;
      let part = parts.get(key);
      if (!part) parts.set(key, (part = new Map()));
      part.set(path, oid);
    }
    return new Map([...parts].map(([key, entries]) => [key, new Snapshot(this.commit, entries, this.reader, this.cache)]));
  }

  has(path: string): boolean {
    return this.entries.has(path);
  }

  oid(path: string): string | undefined {
    return this.entries.get(path);
  }

  /** Every file path under `prefix` (a directory, with or without trailing slash). */
  list(prefix = ''): string[] {
    const p = prefix === '' || prefix.endsWith('/') ? prefix : prefix + '/';
    const out: string[] = [];
    for (const path of this.entries.keys()) if (path.startsWith(p)) out.push(path);
    return out.sort();
  }

  allPaths(): string[] {
    return [...this.entries.keys()].sort();
  }

  async text(path: string): Promise<string | undefined> {
    const oid = this.entries.get(path);
    return oid === undefined ? undefined : this.reader.readText(oid);
  }

  /** The file parsed and validated, or undefined when absent. Errors name the file. */
  async read<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S> | undefined> {
    const oid = this.entries.get(path);
    if (oid === undefined) return undefined;
    const raw = await this.rawValue(path, oid);
    return validateValue(path, schema, raw);
  }

  async readRequired<S extends z.ZodType>(path: string, schema: S, missing: () => Error): Promise<z.output<S>> {
    const v = await this.read(path, schema);
    if (v === undefined) throw missing();
    return v;
  }

  /** Read many files at once: requests are pipelined through the one cat-file process. */
  async readMany<S extends z.ZodType>(paths: string[], schema: S): Promise<Array<z.output<S>>> {
    // Files already parsed (in memory or in the parse cache) are validated synchronously:
    // a promise per file costs more than the validation at 10,000 files.
    const out = new Array<z.output<S>>(paths.length);
    const misses: number[] = [];
    for (let i = 0; i < paths.length; i++) {
      const p = paths[i]!;
      const oid = this.entries.get(p);
      if (oid === undefined) continue;
      const raw = this.knownValue(oid);
      if (raw === undefined) misses.push(i);
      else out[i] = validateValue(p, schema, raw);
    }
    if (misses.length > 0) {
      await Promise.all(misses.map(async (i) => {
        out[i] = (await this.read(paths[i]!, schema))!;
      }));
    }
    return out;
  }

  /**
   * A value derived from each file's validated content (`derive` must be a
   * pure function of it), cached by blob id under `id`, so the file itself is
   * read, parsed and validated only the first time its content is seen.
   * Undefined for a path not in the snapshot.
   */
  async deriveMany<S extends z.ZodType, T>(paths: string[], schema: S, id: string, derive: (value: z.output<S>) => T): Promise<Array<T | undefined>> {
    const out = new Array<T | undefined>(paths.length);
    const misses: number[] = [];
    for (let i = 0; i < paths.length; i++) {
      const oid = this.entries.get(paths[i]!);
      if (oid === undefined) continue;
      const hit = this.cache?.get(`${id}:${oid}`);
      if (hit !== undefined) out[i] = hit as T;
      else misses.push(i);
    }
    await Promise.all(misses.map(async (i) => {
      const path = paths[i]!;
      const oid = this.entries.get(path)!;
      // Not through rawValue: the file's own value is not kept in the cache, only what was derived from it.
      const raw = this.parsed.get(oid) ?? this.cache?.peek(oid) ?? parseYamlText(path, await this.reader.readText(oid));
      const derived = derive(validateValue(path, schema, raw));
      this.cache?.set(`${id}:${oid}`, derived);
      out[i] = derived;
    }));
    return out;
  }

  /** The parsed value when it is known without reading the blob. */
  private knownValue(oid: string): unknown {
    if (this.parsed.has(oid)) return this.parsed.get(oid);
    const value = this.cache?.get(oid);
    if (value !== undefined) this.parsed.set(oid, value);
    return value;
  }

  private async rawValue(path: string, oid: string): Promise<unknown> {
    if (this.parsed.has(oid)) return this.parsed.get(oid);
    let value = this.cache?.get(oid);
    if (value === undefined) {
      const text = await this.reader.readText(oid);
      value = parseYamlText(path, text);
      this.cache?.set(oid, value);
    }
    this.parsed.set(oid, value);
    return value;
  }
}
