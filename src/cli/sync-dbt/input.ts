/** Reading dbt artifacts from disk: one-line InputErrors that name the file and the fix. */
import { readFile } from 'node:fs/promises';
import { InputError } from '../../core/errors.js';
import { phase } from '../timings.js';
import { parseManifest, planFromManifest, type DbtManifest, type DbtPlan, type PlanOptions } from '../../dbt/index.js';

/** A file's bytes, or a one-line InputError naming it. */
export async function readInputFile(file: string, what: string, hint: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`${file}: no such file`, hint);
    if (code === 'EISDIR') throw new InputError(`${file} is a directory, not a ${what}`, hint);
    throw new InputError(`cannot read ${file}: ${(e as Error).message.split('\n')[0]}`, hint);
  }
}

export async function readJsonFile(file: string, what: string, hint: string): Promise<unknown> {
  return parseJsonText(file, (await readInputFile(file, what, hint)).toString('utf8'), hint);
}

function parseJsonText(file: string, text: string, hint: string): unknown {
  try {
    // A byte order mark (some Windows editors and PowerShell's Out-File write one) is not JSON, but not damage either.
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    throw new InputError(`${file} is not valid JSON (${msg}); is it truncated?`, hint);
  }
}

/** Prefix an InputError from src/dbt with the file it is about. */
function naming<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`${file}: ${e.message}`, e.hint);
    throw e;
  }
}

export const MANIFEST_HINT = 'pass target/manifest.json written by dbt >= 1.0 (dbt parse, dbt build)';

export async function loadManifest(file: string): Promise<DbtManifest> {
  const json = await readJsonFile(file, 'dbt manifest', MANIFEST_HINT);
  return naming(file, () => parseManifest(json));
}

export async function readManifestBytes(file: string): Promise<Buffer> {
  return withoutBom(await readInputFile(file, 'dbt manifest', MANIFEST_HINT));
}

/**
 * The bytes after a UTF-8 byte order mark, if the file starts with one: read
 * that way, a manifest saved with a BOM fingerprints, caches and plans
 * exactly as the same manifest without it.
 */
export function withoutBom(bytes: Buffer): Buffer {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
}

export function manifestFromBytes(file: string, bytes: Buffer): DbtManifest {
  const text = bytes.toString('utf8');
  phase('manifest decoded');
  const json = parseJsonText(file, text, MANIFEST_HINT);
  phase('manifest JSON.parse');
  return naming(file, () => parseManifest(json));
}

export function planManifest(file: string, manifest: DbtManifest, options: PlanOptions): DbtPlan {
  return naming(file, () => planFromManifest(manifest, options));
}

export async function loadRunResults(file: string): Promise<unknown> {
  return readJsonFile(file, 'dbt run_results.json', 'pass target/run_results.json written by dbt build or dbt test');
}

export function withFile<T>(file: string, fn: () => T): T {
  return naming(file, fn);
}
