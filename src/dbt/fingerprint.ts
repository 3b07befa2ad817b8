/**
 * A manifest's content fingerprint: what planning depends on, without the
 * metadata that changes on every dbt invocation.
 *
 * dbt writes `metadata` as the manifest's first key. Planning reads two of its
 * fields, `dbt_schema_version` and `adapter_type`; the rest (generated_at,
 * invocation_id, env, dbt_version, project_name, ...) is either never read or
 * only feeds the report header, which is derived from the metadata of each
 * run (manifestHeaderOf). So the fingerprint hashes those two fields and every
 * byte after the metadata object: two `dbt parse` runs of the same project
 * get the same fingerprint, and any other byte that differs (a column, a
 * test, a line of SQL) gives another. Without a leading metadata object the
 * fingerprint is the hash of every byte and no metadata is returned.
 *
 * Finding the metadata object scans only its own bytes (a few hundred), and
 * hashing the rest is one native sha256 pass over the file (~30 ms at 50 MB).
 *
 * The **contract-input** fingerprint goes further: it also leaves out every
 * field of a node (in `nodes` and `sources`) that reading a manifest never
 * looks at (manifest.ts NODE_FIELDS), such as `raw_code`, `compiled_code`,
 * `checksum`, `fqn` and `unrendered_config`, so a manifest whose SQL changed
 * and whose contracts did not fingerprints the same. It walks the JSON bytes
 * (~120-200 ms at 50 MB), so it is computed on demand. Each left-out field
 * leaves a marker byte in the hash; a key written with escapes is kept (its
 * bytes are not its name); anything that does not scan as JSON gives no
 * contract-input fingerprint, and the manifest is then planned in full.
 */
import { createHash, type Hash } from 'node:crypto';
import { NODE_FIELDS } from './manifest.js';
import { bytesEqual, eachFollowingMember, eachMember, hasBackslash, skipSpace, skipValue } from './json-scan.js';

export interface ManifestFingerprint {
  /** Hex sha256 of the planning-relevant content. */
  content: string;
  /** The leading metadata object, parsed; undefined when the manifest does not start with one. */
  metadata?: Record<string, unknown>;
  /** The contract-input fingerprint, computed on first call; undefined without leading metadata or when the bytes do not scan as JSON. */
  contractInput(): string | undefined;
}

/** Planning reads these metadata fields and no others (test/dbt/fingerprint.test.ts pins it). */
export const PLANNING_METADATA_FIELDS = ['dbt_schema_version', 'adapter_type'] as const;

/** Metadata is a few hundred bytes; a manifest whose first value runs longer is not one dbt wrote. */
const METADATA_SCAN_LIMIT = 1 << 20;
const KEY = Buffer.from('"metadata"');

/** [start, end) of the value of a leading `"metadata"` key when it is an object. */
export function metadataSpan(b: Uint8Array): { start: number; end: number } | undefined {
  let i = skipSpace(b, 0);
  if (b[i] !== 0x7b) return undefined;
  i = skipSpace(b, i + 1);
  if (!bytesEqual(b, i, i + KEY.length, KEY)) return undefined;
  i = skipSpace(b, i + KEY.length);
  if (b[i] !== 0x3a) return undefined;
  const start = skipSpace(b, i + 1);
  if (b[start] !== 0x7b) return undefined;
  // Scanned within the limit only: a file that is not a dbt manifest is not walked to its end here.
  const end = skipValue(b.subarray(0, start + METADATA_SCAN_LIMIT), start);
  return end < 0 ? undefined : { start, end };
}

function parseObject(bytes: Uint8Array): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function planningMetadata(tag: string, metadata: Record<string, unknown>): string {
  return JSON.stringify([tag, ...PLANNING_METADATA_FIELDS.map((f) => metadata[f] ?? null)]);
}

export function manifestFingerprint(bytes: Uint8Array): ManifestFingerprint {
  const span = metadataSpan(bytes);
  const metadata = span ? parseObject(bytes.subarray(span.start, span.end)) : undefined;
  const hash = createHash('sha256');
  if (span && metadata) {
    hash.update(planningMetadata('metadata-first', metadata));
    hash.update(bytes.subarray(span.end));
    let input: string | undefined | null = null;
    return {
      content: hash.digest('hex'),
      metadata,
      contractInput: () => (input === null ? (input = contractInputOf(bytes, span.end, metadata)) : input),
    };
  }
  hash.update('whole-file\0');
  hash.update(bytes);
  return { content: hash.digest('hex'), contractInput: () => undefined };
}

/** NODE_FIELDS as quoted key bytes, by length. */
const FIELDS_BY_LENGTH: Uint8Array[][] = [];
for (const f of NODE_FIELDS) {
  const q = Buffer.from(JSON.stringify(f));
  (FIELDS_BY_LENGTH[q.length] ??= []).push(q);
}
const NODE_MAPS = [Buffer.from('"nodes"'), Buffer.from('"sources"')];

function isReadField(b: Uint8Array, keyStart: number, keyEnd: number): boolean {
  const same = FIELDS_BY_LENGTH[keyEnd - keyStart];
  if (same) for (const f of same) if (bytesEqual(b, keyStart, keyEnd, f)) return true;
  return hasBackslash(b, keyStart, keyEnd);
}

/** The bytes a hash is fed, less dropped spans: copied into 1 MB batches rather than one update per kept run. */
class KeptBytes {
  private readonly scratch = Buffer.allocUnsafe(1 << 20);
  private used = 0;
  constructor(private readonly b: Buffer, private readonly hash: Hash, private from: number) {}

  /** Leaves [start, end) out, with a marker byte in its place. */
  drop(start: number, end: number): void {
    this.keep(this.from, start);
    if (this.used === this.scratch.length) this.flush();
    this.scratch[this.used++] = 0;
    this.from = end;
  }

  finish(): void {
    this.keep(this.from, this.b.length);
    this.flush();
  }

  private keep(start: number, end: number): void {
    if (end - start > this.scratch.length - this.used) {
      this.flush();
      if (end - start > this.scratch.length) {
        this.hash.update(this.b.subarray(start, end));
        return;
      }
    }
    this.used += this.b.copy(this.scratch, this.used, start, end);
  }

  private flush(): void {
    if (this.used > 0) this.hash.update(this.scratch.subarray(0, this.used));
    this.used = 0;
  }
}

/** The root object's members after metadata, node fields planning does not read left out. */
function contractInputOf(bytes: Uint8Array, afterMetadata: number, metadata: Record<string, unknown>): string | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hash = createHash('sha256');
  hash.update(planningMetadata('contract-input-v1', metadata));
  const kept = new KeptBytes(b, hash, afterMetadata);
  const field = (keyStart: number, keyEnd: number, valueStart: number): number => {
    const end = skipValue(b, valueStart);
    if (end >= 0 && !isReadField(b, keyStart, keyEnd)) kept.drop(keyStart, end);
    return end;
  };
  const node = (_keyStart: number, _keyEnd: number, valueStart: number): number => (b[valueStart] === 0x7b ? eachMember(b, valueStart, field) : skipValue(b, valueStart));
  const section = (keyStart: number, keyEnd: number, valueStart: number): number =>
    b[valueStart] === 0x7b && NODE_MAPS.some((m) => bytesEqual(b, keyStart, keyEnd, m)) ? eachMember(b, valueStart, node) : skipValue(b, valueStart);
  if (eachFollowingMember(b, afterMetadata, section) < 0) return undefined;
  kept.finish();
  return hash.digest('hex');
}
