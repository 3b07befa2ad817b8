/**
 * The shared test data (Confluent conformance cases, real dbt manifests)
 * lives in ../shared beside the checkout, never inside the project. Tests that
 * need it skip *loudly* when it is absent.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const SHARED_DIR = process.env.TESSERA_SHARED_DIR ?? path.resolve(fileURLToPath(new URL('../../..', import.meta.url)), 'shared');

export function sharedPath(...parts: string[]): string {
  return path.join(SHARED_DIR, ...parts);
}

/** True when ../shared/<parts> exists; otherwise prints why the dependent tests are skipped. */
export function sharedAvailable(...parts: string[]): boolean {
  const p = sharedPath(...parts);
  if (existsSync(p)) return true;
  console.warn(`SKIPPED: ${p} is absent; tests that read the shared data were skipped (set TESSERA_SHARED_DIR or put shared/ beside the checkout)`);
  return false;
}
