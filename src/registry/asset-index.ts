/**
 * One pass over a snapshot's listing: every asset file, and per asset its
 * version numbers and consumer teams, without reading any file. Whole-registry
 * commands use it instead of listing per asset (which would be quadratic).
 */
export interface AssetEntry {
  versions: string[];
  consumers: string[];
}

export interface AssetTree {
  /** Paths of every assets/<id>/asset.yaml, in listing order. */
  assetFiles: string[];
  byAsset: Map<string, AssetEntry>;
  versionCount: number;
}

export function indexAssetTree(paths: Iterable<string>): AssetTree {
  const assetFiles: string[] = [];
  const byAsset = new Map<string, AssetEntry>();
  let versionCount = 0;
  const entry = (id: string) => {
    let e = byAsset.get(id);
    if (!e) byAsset.set(id, (e = { versions: [], consumers: [] }));
    return e;
  };
  for (const p of paths) {
    if (!p.startsWith('assets/')) continue;
    const parts = p.split('/');
    if (parts.length === 3 && parts[2] === 'asset.yaml') assetFiles.push(p);
    else if (parts.length === 4 && parts[2] === 'versions') {
      const m = /^(\d+\.\d+\.\d+)\.yaml$/.exec(parts[3]!);
      if (m) {
        entry(parts[1]!).versions.push(m[1]!);
        versionCount++;
      }
    } else if (parts.length === 4 && parts[2] === 'consumers' && parts[3]!.endsWith('.yaml')) entry(parts[1]!).consumers.push(parts[3]!.slice(0, -5));
  }
  return { assetFiles, byAsset, versionCount };
}
