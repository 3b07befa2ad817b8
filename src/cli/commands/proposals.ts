import { withRegistry, isoNow } from '../context.js';
import { loadProposalState } from '../../app/proposal-state.js';
import { listOpenProposals, readClosedProposals } from '../../registry/proposals.js';
import { MAIN_REF } from '../../core/paths.js';
import { proposalStatusSchema } from '../../core/model.js';
import { InputError } from '../../core/errors.js';
import { printJson, printLine } from '../output.js';

export async function run(_args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const asset = opts.asset as string | undefined;
  const status = opts.status as string | undefined;
  const pendingFor = opts.pendingFor as string | undefined;
  if (status && !proposalStatusSchema.safeParse(status).success) throw new InputError(`unknown status '${status}'`, `use one of: ${proposalStatusSchema.options.join(', ')}`);
  return withRegistry(opts, async (ctx) => {
    const now = isoNow(ctx.now());
    const open = await listOpenProposals(ctx.repo);
    const rows: Array<Record<string, unknown>> = [];
    for (const o of open) {
      const { view } = await loadProposalState(ctx, o);
      rows.push({ ...o.proposal, required: view.required, informed: view.informed, scopes: view.scopes, pending: view.pending, blocked: view.blocked, answers: view.answers, expired: view.expired || o.proposal.expires_at <= now });
    }
    if (!status || status !== 'open') {
      const snap = await ctx.repo.snapshot(MAIN_REF, ['proposals']);
      for (const p of await readClosedProposals(snap)) rows.push({ ...p, required: p.required_teams, informed: p.informed_teams ?? [], pending: [], blocked: [], answers: [] });
    }
    const filtered = rows.filter(
      (r) => (!asset || r.asset === asset) && (!status || r.status === status) && (!pendingFor || (r.pending as string[]).includes(pendingFor)),
    );
    if (opts.json) {
      printJson({ count: filtered.length, proposals: filtered });
      return 0;
    }
    if (filtered.length === 0) printLine('No proposals match.');
    for (const r of filtered) {
      const waiting = (r.pending as string[]).length ? `  waiting for ${(r.pending as string[]).join(', ')}` : '';
      const blocked = (r.blocked as string[]).length ? `  blocked by ${(r.blocked as string[]).join(', ')}` : '';
      const pr = (r.pull_request as { id: string } | undefined) ? `  pull request #${(r.pull_request as { id: string }).id}` : '';
      printLine(`${r.id}  ${String(r.status).padEnd(10)} ${r.asset} ${r.from_version} -> ${r.to_version}  by ${r.author}${pr}${waiting}${blocked}${r.status === 'open' ? `  expires ${r.expires_at}` : ''}`);
    }
    return 0;
  });
}
