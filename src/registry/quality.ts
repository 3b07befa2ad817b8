/**
 * Reading data-quality records: an asset's latest results
 * (assets/<id>/quality.yaml) and one recorded run (quality/runs/<id>.yaml)
 * as of a given commit, for `show` and `log --event quality`.
 */
import type { Repository } from './repository.js';
import type { Snapshot } from './snapshot.js';
import { parseYamlText, validateValue } from '../core/codec.js';
import { assetQualityPath, assetQualitySchema, qualityRunPath, qualityRunSchema, type AssetQuality, type QualityRun } from '../core/quality.js';

export async function readAssetQuality(snap: Snapshot, asset: string): Promise<AssetQuality | undefined> {
  return snap.read(assetQualityPath(asset), assetQualitySchema);
}

/** The run file as it was at `commit`; undefined when that commit has none. */
export async function readQualityRunAt(repo: Repository, commit: string, invocationId: string): Promise<QualityRun | undefined> {
  const path = qualityRunPath(invocationId);
  let text: string;
  try {
    text = await repo.reader.readText(`${commit}:${path}`);
  } catch {
    return undefined;
  }
  return validateValue(`${path} (at ${commit.slice(0, 12)})`, qualityRunSchema, parseYamlText(path, text));
}
