import { withRegistry } from '../context.js';
import { withdraw, withdrawPullRequest } from '../../app/withdraw.js';
import { InputError } from '../../core/errors.js';
import { pullRequestName } from '../../core/proposal.js';
import { resolvePullRequest } from '../sync-dbt/pull-request.js';
import { printJson, printLine } from '../output.js';

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const target = args[0] === undefined ? undefined : String(args[0]);
  const reason = opts.reason as string | undefined;
  const because = reason !== undefined ? { reason } : {};
  if (opts.pullRequest !== undefined) {
    if (target !== undefined) throw new InputError('give a proposal or --pull-request, not both', 'tessera withdraw p-3f9a2c1d, or: tessera withdraw --pull-request 42');
    const pr = resolvePullRequest({ pullRequest: opts.pullRequest })!;
    return withRegistry(opts, async (ctx) => {
      const { result } = await withdrawPullRequest(ctx, { pullRequest: pr, ...because });
      const closed = result.proposals;
      if (opts.json) printJson({ action: 'proposals.withdrawn', pull_request: pr, reason: result.reason, proposals: closed });
      else if (closed.length === 0) printLine(`No open proposal names pull request ${pullRequestName(pr)}; nothing to withdraw.`);
      else printLine(`Withdrew ${closed.length} proposal(s) of pull request ${pullRequestName(pr)}: ${closed.map((r) => `${r.id} (${r.asset} ${r.to_version})`).join(', ')}`);
      return 0;
    }, { writes: true });
  }
  if (target === undefined) throw new InputError('withdraw needs a proposal', 'tessera withdraw p-3f9a2c1d, or every proposal of a pull request: tessera withdraw --pull-request 42');
  return withRegistry(opts, async (ctx) => {
    const { result } = await withdraw(ctx, { target, ...because });
    if (opts.json) printJson({ action: 'proposal.withdrawn', proposal: result.id, asset: result.asset });
    else printLine(`Withdrew ${result.id} (${result.asset} ${result.to_version})`);
    return 0;
  }, { writes: true });
}
