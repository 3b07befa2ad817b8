/** Everything a publish needs to know about one asset, read from a snapshot. */
import type { Snapshot } from './snapshot.js';
import { readAsset, readConsumers, readVersion, versionNumbers } from './state.js';
import type { AssetHistory } from '../core/publish.js';
import type { Version } from '../core/model.js';

export async function readAssetHistory(snap: Snapshot, id: string, options: { allVersions?: boolean } = {}): Promise<AssetHistory> {
  const asset = await readAsset(snap, id);
  if (!asset) return { asset: undefined, versions: [], consumers: [] };
  const numbers = versionNumbers(snap, id);
  const transitive = asset.compatibility_mode?.endsWith('_transitive') ?? false;
  // Non-transitive modes only compare against the latest version: parse just that one.
  const wanted = options.allVersions || transitive ? numbers : numbers.slice(-1);
  const [versions, consumers] = await Promise.all([Promise.all(wanted.map((v) => readVersion(snap, id, v))), readConsumers(snap, id)]);
  return { asset, versions: versions.filter((v): v is Version => v !== undefined), consumers };
}
