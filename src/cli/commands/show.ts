import { withRegistry } from '../context.js';
import { readConfig, readConsumers, requireAsset, requireVersion, versionNumbers } from '../../registry/state.js';
import { assetDir, checkAssetId, checkVersion, CONFIG_PATH } from '../../core/paths.js';
import { columnsOf } from '../../core/columns.js';
import { printJson, printLine, paint } from '../output.js';
import { readAssetQuality } from '../../registry/quality.js';
import { acksByTeam, listOpenProposals, readAcks } from '../../registry/proposals.js';
import { viewProposal } from '../../core/proposal.js';
import { isoNow } from '../context.js';

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const id = String(args[0]);
  const proposalShow = await maybeShowProposal(id, opts);
  if (proposalShow !== undefined) return proposalShow;
  const asset = checkAssetId(id);
  return withRegistry(opts, async (ctx) => {
    const snap = await ctx.repo.snapshot(undefined, [CONFIG_PATH, assetDir(asset)]);
    const a = await requireAsset(snap, asset);
    const wanted = opts.version === undefined ? a.current_version : checkVersion(String(opts.version));
    const [v, consumers, quality] = await Promise.all([requireVersion(snap, asset, wanted), readConsumers(snap, asset), readAssetQuality(snap, asset)]);
    const columns = columnsOf(v.schema, v.guarantees);
    const versions = versionNumbers(snap, asset);
    // The change waiting on this asset, if any: what a consumer looking at the asset most needs to know.
    const open = (await listOpenProposals(ctx.repo)).find((o) => o.proposal.asset === asset);
    const waiting = open ? viewProposal(open.proposal, consumers, acksByTeam(await readAcks(ctx.repo, open)), isoNow(ctx.now()), (await readConfig(snap)).policy.strict_acks) : undefined;
    const openProposal = open && waiting ? { id: open.proposal.id, from_version: open.proposal.from_version, to_version: open.proposal.to_version, pending: waiting.pending, blocked: waiting.blocked, expires_at: open.proposal.expires_at, pull_request: open.proposal.pull_request ?? null } : null;
    if (opts.json) {
      printJson({ asset: a, version: v, columns, consumers, versions, quality: quality?.results ?? [], open_proposal: openProposal });
      return 0;
    }
    const c = paint();
    printLine(`${c.bold(a.id)}  ${a.kind}  owner ${a.owner}  version ${v.version}${v.version === a.current_version ? ' (current)' : ''}`);
    if (a.description) printLine(a.description);
    printLine(`mode ${v.compatibility_mode}, content model ${v.content_model}; published ${v.published_at} by ${v.published_by}${v.via !== 'direct' ? ` (${v.via})` : ''}`);
    if (v.forced) printLine(c.yellow(`forced: ${v.forced.reason}${v.forced.missing_teams.length ? ` (without acks from ${v.forced.missing_teams.join(', ')})` : ''}`));
    printLine('');
    printLine(c.bold('Columns'));
    const w = Math.max(6, ...columns.map((r) => r.name.length));
    for (const r of columns) {
      printLine(`  ${r.name.padEnd(w)}  ${(r.type + (r.format ? ` (${r.format})` : '')).padEnd(22)} ${r.required ? 'required' : 'optional'}${r.guarantees.length ? '  ' + r.guarantees.join(', ') : ''}`);
    }
    const modelWide = v.guarantees.filter((g) => !g.column);
    if (modelWide.length) printLine(`  guarantees: ${modelWide.map((g) => g.kind + (g.columns ? `(${g.columns.join(',')})` : '')).join(', ')}`);
    printLine('');
    printLine(c.bold(`Consumers (${consumers.length})`));
    for (const k of consumers) printLine(`  ${k.team}${k.purpose ? `: ${k.purpose}` : ''}${k.fields ? `  [${k.fields.join(', ')}]` : ''}`);
    if (consumers.length === 0) printLine('  none registered');
    printLine('');
    if (quality?.results.length) {
      printLine(c.bold(`Quality (latest result per guarantee)`));
      for (const r of quality.results) printLine(`  ${(r.status === 'pass' ? c.green : r.status === 'skipped' ? c.dim : c.red)(r.status.padEnd(7))} ${r.guarantee.kind}${r.guarantee.column ? `(${r.guarantee.column})` : ''}${r.failures ? `  ${r.failures} failing row(s)` : ''}  ${r.executed_at ?? r.recorded_at}`);
      printLine('');
    }
    printLine(`Versions: ${versions.join(', ')}`);
    if (openProposal) {
      const who = [openProposal.pending.length ? `waiting for ${openProposal.pending.join(', ')}` : '', openProposal.blocked.length ? `blocked by ${openProposal.blocked.join(', ')}` : ''].filter(Boolean).join('; ') || 'every team has approved';
      const pr = openProposal.pull_request ? ` from pull request #${openProposal.pull_request.id}` : '';
      printLine(c.yellow(`Open proposal ${openProposal.id}${pr}: ${openProposal.from_version} -> ${openProposal.to_version}, ${who} (tessera show ${openProposal.id})`));
    }
    return 0;
  });
}

/** `show` also accepts a proposal id; the proposals module answers when it recognises one. */
async function maybeShowProposal(id: string, opts: Record<string, unknown>): Promise<number | undefined> {
  if (!/^p-/.test(id)) return undefined;
  const mod = await import('./proposal-show.js').catch(() => undefined);
  return mod ? mod.run([id], opts) : undefined;
}
