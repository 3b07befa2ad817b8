/** A dbt manifest's bytes -> its parsed and planned form, with one-line InputErrors that name the file. */
import { InputError } from '../../core/errors.js';
import { parseManifest, planFromManifest, type DbtManifest, type DbtPlan, type PlanOptions } from '../../dbt/index.js';
import type { Phase } from './planning.js';

export const MANIFEST_HINT = 'pass target/manifest.json written by dbt >= 1.0 (dbt parse, dbt build)';

export function parseJsonText(file: string, text: string, hint: string): unknown {
  try {
    // A byte order mark (some Windows editors and PowerShell's Out-File write one) is not JSON, but not damage either.
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    throw new InputError(`${file} is not valid JSON (${msg}); is it truncated?`, hint);
  }
}

/** Prefix an InputError from src/dbt with the file it is about. */
export function withFile<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`${file}: ${e.message}`, e.hint);
    throw e;
  }
}

/**
 * The bytes after a UTF-8 byte order mark, if the file starts with one: read
 * that way, a manifest saved with a BOM fingerprints, caches and plans
 * exactly as the same manifest without it.
 */
export function withoutBom(bytes: Buffer): Buffer {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
}

export function manifestFromBytes(file: string, bytes: Buffer, phase: Phase = () => undefined): DbtManifest {
  const text = bytes.toString('utf8');
  phase('manifest decoded');
  const json = parseJsonText(file, text, MANIFEST_HINT);
  phase('manifest JSON.parse');
  return withFile(file, () => parseManifest(json));
}

export function planManifest(file: string, manifest: DbtManifest, options: PlanOptions): DbtPlan {
  return withFile(file, () => planFromManifest(manifest, options));
}
