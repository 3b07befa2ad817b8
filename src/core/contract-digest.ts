/**
 * A digest of a contract's content (schema and guarantees), to tell an
 * unchanged contract without loading and comparing the stored one: a sync of
 * 5,000 unchanged models compares 5,000 digests instead of 5,000 schemas.
 *
 * It hashes the JSON text as the values are, key order included, so equal
 * digests mean equal contracts (sameValue), while a difference in key order
 * alone gives different digests: callers treat a mismatch as "compare in
 * full", never as "changed". Files sync-dbt wrote round-trip with their key
 * order, so they match; a contract published by hand may not, and is compared.
 */
import { createHash } from 'node:crypto';

/** Names the function in caches of stored digests: change it when the digest changes. */
export const CONTRACT_DIGEST_ID = 'contract-digest-v1';

export function contractDigest(schema: unknown, guarantees: unknown): string {
  return digestOfContractText(contractText(schema, guarantees));
}

/** The text a contract digest hashes: `[schema, guarantees]` as JSON, which JSON.parse turns back into the contract. */
export function contractText(schema: unknown, guarantees: unknown): string {
  return JSON.stringify([schema, guarantees]);
}

export function digestOfContractText(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}
