import { withRegistry } from '../context.js';
import { indexAssetTree } from '../../registry/asset-index.js';
import { assetSchema } from '../../core/model.js';
import { checkTeamName } from '../../core/paths.js';
import { printJson, printLine } from '../output.js';

export async function run(_args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const owner = opts.owner === undefined ? undefined : checkTeamName(String(opts.owner));
  const consumer = opts.consumer === undefined ? undefined : checkTeamName(String(opts.consumer));
  const search = (opts.search as string | undefined)?.toLowerCase();
  return withRegistry(opts, async (ctx) => {
    ctx.repo.useParseCache();
    const snap = await ctx.repo.snapshot(undefined, ['assets']);
    const { assetFiles, byAsset } = indexAssetTree(snap.allPaths());
    const consumersOf = (id: string) => byAsset.get(id)?.consumers ?? [];
    // Filters that need no parsing go first.
    const candidates = consumer ? assetFiles.filter((p) => consumersOf(p.split('/')[1]!).includes(consumer)) : assetFiles;
    const assets = await snap.readMany(candidates, assetSchema);
    const rows = assets
      .filter((a) => !owner || a.owner === owner)
      .filter((a) => !search || a.id.includes(search) || (a.description ?? '').toLowerCase().includes(search) || a.tags.some((t) => t.toLowerCase().includes(search)))
      .map((a) => ({ id: a.id, owner: a.owner, kind: a.kind, current_version: a.current_version, consumers: consumersOf(a.id), description: a.description ?? null, tags: a.tags }));
    if (opts.json) printJson({ count: rows.length, assets: rows });
    else if (rows.length === 0) printLine(assetFiles.length === 0 ? 'No assets yet. Publish one with: tessera publish <asset> <schema-file> --owner <team>' : 'No assets match.');
    else {
      const w = Math.min(60, Math.max(5, ...rows.map((r) => r.id.length)));
      for (const r of rows) printLine(`${r.id.padEnd(w)}  ${r.current_version.padEnd(8)} ${r.owner.padEnd(16)} ${r.kind.padEnd(8)} ${r.consumers.length} consumer${r.consumers.length === 1 ? '' : 's'}`);
    }
    return 0;
  });
}
