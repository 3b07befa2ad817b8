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
 * hashing the rest is one native sha256 pass over the file.
 */
import { createHash } from 'node:crypto';

export interface ManifestFingerprint {
  /** Hex sha256 of the planning-relevant content. */
  content: string;
  /** The leading metadata object, parsed; undefined when the manifest does not start with one. */
  metadata?: Record<string, unknown>;
}

/** Planning reads these metadata fields and no others (test/dbt/fingerprint.test.ts pins it). */
export const PLANNING_METADATA_FIELDS = ['dbt_schema_version', 'adapter_type'] as const;

/** Metadata is a few hundred bytes; a manifest whose first value runs longer is not one dbt wrote. */
const METADATA_SCAN_LIMIT = 1 << 20;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const KEY = Buffer.from('"metadata"');

function skipSpace(b: Uint8Array, i: number): number {
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x09)) i++;
  return i;
}

/** [start, end) of the value of a leading `"metadata"` key when it is an object. */
export function metadataSpan(b: Uint8Array): { start: number; end: number } | undefined {
  let i = skipSpace(b, 0);
  if (b[i] !== 0x7b) return undefined;
  i = skipSpace(b, i + 1);
  for (let k = 0; k < KEY.length; k++) if (b[i + k] !== KEY[k]) return undefined;
  i = skipSpace(b, i + KEY.length);
  if (b[i] !== 0x3a) return undefined;
  i = skipSpace(b, i + 1);
  if (b[i] !== 0x7b) return undefined;
  const start = i;
  const limit = Math.min(b.length, start + METADATA_SCAN_LIMIT);
  let depth = 0;
  for (; i < limit; i++) {
    const c = b[i];
    if (c === QUOTE) {
      for (i++; i < limit && b[i] !== QUOTE; i++) if (b[i] === BACKSLASH) i++;
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0) return { start, end: i + 1 };
    }
  }
  return undefined;
}

function parseObject(bytes: Uint8Array): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function manifestFingerprint(bytes: Uint8Array): ManifestFingerprint {
  const span = metadataSpan(bytes);
  const metadata = span ? parseObject(bytes.subarray(span.start, span.end)) : undefined;
  const hash = createHash('sha256');
  if (span && metadata) {
    hash.update(JSON.stringify(['metadata-first', ...PLANNING_METADATA_FIELDS.map((f) => metadata[f] ?? null)]));
    hash.update(bytes.subarray(span.end));
    return { content: hash.digest('hex'), metadata };
  }
  hash.update('whole-file\0');
  hash.update(bytes);
  return { content: hash.digest('hex') };
}
