import { withRegistry } from '../context.js';
import { requireAsset, readVersion, versionNumbers } from '../../registry/state.js';
import { assetDir, checkAssetId } from '../../core/paths.js';
import { printJson, printLine } from '../output.js';

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const asset = checkAssetId(String(args[0]));
  return withRegistry(opts, async (ctx) => {
    const snap = await ctx.repo.snapshot(undefined, [assetDir(asset)]);
    const a = await requireAsset(snap, asset);
    const versions = await Promise.all(versionNumbers(snap, asset).map((v) => readVersion(snap, asset, v)));
    const rows = versions.map((v) => ({
      version: v!.version,
      current: v!.version === a.current_version,
      published_by: v!.published_by,
      published_at: v!.published_at,
      via: v!.via,
      breaking_changes: v!.changes.filter((c) => c.breaking).length,
      changes: v!.changes.length,
      ...(v!.forced ? { forced_reason: v!.forced.reason } : {}),
      ...(v!.proposal ? { proposal: v!.proposal } : {}),
    }));
    if (opts.json) printJson({ asset, current_version: a.current_version, versions: rows });
    else
      for (const r of rows.reverse())
        printLine(`${r.current ? '*' : ' '} ${r.version.padEnd(9)} ${r.published_at}  ${r.published_by}  ${r.via}${r.changes ? `  (${r.changes} changes, ${r.breaking_changes} breaking)` : ''}${r.forced_reason ? `  forced: ${r.forced_reason}` : ''}`);
    return 0;
  });
}
