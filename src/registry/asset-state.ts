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
  let found = versions.filter((v): v is Version => v !== undefined);
  // Without a mode of its own the asset keeps the one its latest version was judged under; a transitive one needs every version.
  if (wanted.length < numbers.length && asset.compatibility_mode === undefined && found.at(-1)?.compatibility_mode.endsWith('_transitive')) {
    found = (await Promise.all(numbers.map((v) => readVersion(snap, id, v)))).filter((v): v is Version => v !== undefined);
  }
  return { asset, versions: found, consumers };
}
