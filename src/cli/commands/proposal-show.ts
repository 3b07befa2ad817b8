import { withRegistry } from '../context.js';
import { loadProposalState } from '../../app/proposal-state.js';
import { findOpenProposal } from '../../registry/proposals.js';
import { proposalPath } from '../../core/proposal.js';
import { proposalSchema } from '../../core/model.js';
import { InputError } from '../../core/errors.js';
import { MAIN_REF } from '../../core/paths.js';
import { paint, printJson, printLine } from '../output.js';
import { deliveriesOfProposal } from '../../registry/notify-log.js';
import type { Delivery } from '../../core/model.js';

/** Who was told of the proposal, through which channel, and when (from the delivery records of tessera notify). */
function printNotified(deliveries: Delivery[], c: ReturnType<typeof paint>): void {
  printLine('');
  printLine(c.bold('Notified'));
  if (deliveries.length === 0) printLine('  nobody yet (tessera notify delivers through the teams\' channels)');
  for (const d of deliveries) {
    const how = d.state === 'delivered' ? `delivered ${d.delivered_at ?? d.last_attempt_at}` : d.state === 'dead' ? c.red(`dead-lettered after ${d.attempts} attempt(s): ${d.last_error ?? ''}`) : c.yellow(`retrying (${d.last_error ?? 'failed'}), ${d.attempts} attempt(s)${d.next_attempt_at ? `, next ${d.next_attempt_at}` : ''}`);
    printLine(`  ${d.channel.padEnd(20)} ${d.type.padEnd(20)} ${how}`);
  }
}

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const id = String(args[0]);
  return withRegistry(opts, async (ctx) => {
    const open = await findOpenProposal(ctx.repo, id);
    const c = paint();
    if (!open) {
      const snap = await ctx.repo.snapshot(MAIN_REF, [proposalPath(id)]);
      const closed = await snap.read(proposalPath(id), proposalSchema);
      if (!closed) throw new InputError(`unknown proposal '${id}'`, 'see: tessera proposals');
      const notified = await deliveriesOfProposal(ctx.repo, closed.id);
      if (opts.json) printJson({ proposal: closed, notifications: notified });
      else {
        printLine(`${c.bold(closed.id)}  ${closed.status}  ${closed.asset} ${closed.from_version} -> ${closed.to_version}`);
        printLine(`closed ${closed.closed_at ?? ''} by ${closed.closed_by ?? ''}${closed.reason ? `: ${closed.reason}` : ''}`);
        printLine(`required ${closed.required_teams.join(', ') || 'no team'}${closed.informed_teams?.length ? `; informed ${closed.informed_teams.join(', ')}` : ''}`);
        for (const ch of closed.changes) printLine(`  ${ch.breaking ? c.red('✖') : c.green('✔')} ${ch.rule}  ${ch.path}  ${ch.message}`);
        for (const h of closed.hints ?? []) printLine(`  ${c.yellow('hint:')} ${h}`);
        printNotified(notified, c);
      }
      return 0;
    }
    const { view } = await loadProposalState(ctx, open);
    const p = open.proposal;
    const notified = await deliveriesOfProposal(ctx.repo, p.id);
    if (opts.json) {
      printJson({ proposal: p, required: view.required, informed: view.informed, scopes: view.scopes, answers: view.answers, pending: view.pending, blocked: view.blocked, complete: view.complete, expired: view.expired, notifications: notified });
      return 0;
    }
    printLine(`${c.bold(p.id)}  open  ${p.asset} ${p.from_version} -> ${p.to_version}  owner ${p.owner}`);
    printLine(`proposed by ${p.author} at ${p.created_at}; expires ${p.expires_at}${view.expired ? c.red(' (expired)') : ''}`);
    if (p.pull_request) printLine(`from pull request #${p.pull_request.id}${p.pull_request.url ? ` ${p.pull_request.url}` : ''}: publishes when it merges`);
    printLine('');
    printLine(c.bold('Changes'));
    for (const ch of p.changes) printLine(`  ${ch.breaking ? c.red('✖') : c.green('✔')} ${ch.rule}  ${ch.path}  ${ch.message}`);
    for (const h of p.hints ?? []) printLine(`  ${c.yellow('hint:')} ${h}`);
    if (p.scope) printLine(`  footprint: ${p.scope.footprint.map((f) => (f === '*' ? 'the whole table' : f)).join(', ')}`);
    printLine('');
    printLine(c.bold('Consumer teams'));
    for (const a of view.answers) {
      const detail = a.ack ? ` by ${a.ack.by} at ${a.ack.at}${a.ack.note ? `: ${a.ack.note}` : ''}` : '';
      const state = a.state === 'approved' || a.state === 'migrating' ? c.green(a.state) : a.state === 'blocked' ? c.red(a.state) : c.yellow(a.state === 'stale' ? 'pending (acked an earlier version)' : 'pending');
      const why = view.scopes.find((t) => t.team === a.team)?.reason;
      printLine(`  ${a.team.padEnd(20)} ${state}${detail}${why && p.scope ? c.dim(`  (${why})`) : ''}`);
    }
    for (const t of view.scopes.filter((x) => !x.required)) printLine(`  ${t.team.padEnd(20)} ${c.dim('informed')}  (${t.reason})`);
    if (view.scopes.length === 0) printLine('  none registered');
    printLine('');
    printLine(view.complete ? 'All consumer teams have approved.' : `Waiting for: ${[...view.pending, ...view.blocked].join(', ')}`);
    printNotified(notified, c);
    return 0;
  });
}
