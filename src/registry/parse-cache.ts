/**
 * Parsed registry files keyed by git blob id, kept in the git dir between
 * runs. yaml.parse costs ~0.4 ms a file; JSON.parse of the cache is ~20x
 * cheaper, which is what makes whole-registry commands fast at 10,000 assets.
 * A blob id names exact content, so an entry can never be stale. Keys are
 * blob ids, or `<function id>:<blob id>` for values derived from a blob
 * (Snapshot.deriveMany).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const FILE = 'tessera-parse-cache-v1.json';

export class ParseCache {
  private entries: Map<string, unknown>;
  private dirty = false;
  private readonly used = new Set<string>();
  /** Read, never written back (a dry run writes nothing, caches included). */
  readOnly = false;

  private constructor(private readonly file: string, entries: Map<string, unknown>) {
    this.entries = entries;
  }

  static open(gitDir: string): ParseCache {
    const file = path.join(gitDir, 'tessera', FILE);
    let entries = new Map<string, unknown>();
    try {
      const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      entries = new Map(Object.entries(data));
    } catch {
      // Missing or damaged cache: start empty, it is only a cache.
    }
    return new ParseCache(file, entries);
  }

  get(oid: string): unknown {
    const v = this.entries.get(oid);
    if (v !== undefined) this.used.add(oid);
    return v;
  }

  /** The entry without keeping it for the next run (a value only looked at once). */
  peek(oid: string): unknown {
    return this.entries.get(oid);
  }

  set(oid: string, value: unknown): void {
    if (value === undefined) return;
    this.entries.set(oid, value);
    this.used.add(oid);
    this.dirty = true;
  }

  /**
   * Write back, keeping only entries this run used so the cache tracks the
   * live registry; also without new entries when most of the file went unused
   * (it would otherwise be parsed in full by every later run).
   */
  save(): void {
    if (this.readOnly) return;
    if (!this.dirty && this.used.size * 2 >= this.entries.size) return;
    const out: Record<string, unknown> = {};
    for (const oid of this.used) out[oid] = this.entries.get(oid);
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(out));
      renameSync(tmp, this.file);
    } catch {
      // A read-only registry still works, just without the cache.
    }
    this.dirty = false;
  }
}
