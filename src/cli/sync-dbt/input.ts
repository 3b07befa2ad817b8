/** Reading dbt artifacts from disk: one-line InputErrors that name the file and the fix. */
import { readFile } from 'node:fs/promises';
import { InputError } from '../../core/errors.js';
import { parseManifest, type DbtManifest } from '../../dbt/index.js';
import { MANIFEST_HINT, parseJsonText, withFile, withoutBom } from '../../app/sync-dbt/manifest.js';

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

export async function loadManifest(file: string): Promise<DbtManifest> {
  const json = await readJsonFile(file, 'dbt manifest', MANIFEST_HINT);
  return withFile(file, () => parseManifest(json));
}

export async function readManifestBytes(file: string): Promise<Buffer> {
  return withoutBom(await readInputFile(file, 'dbt manifest', MANIFEST_HINT));
}

export async function loadRunResults(file: string): Promise<unknown> {
  return readJsonFile(file, 'dbt run_results.json', 'pass target/run_results.json written by dbt build or dbt test');
}
