/** Definitions of the proposal workflow commands: ack, proposals, merge, withdraw, expire. */
import { Option, type Command } from 'commander';
import { examples, lazy } from './util.js';

export function defineProposalCommands(program: Command): void {
  examples(
    program
      .command('ack')
      .description("answer a proposal for your team; the last approval merges it")
      .argument('<proposal>', 'proposal id (p-…) or the asset id of its open proposal')
      .requiredOption('--team <team>', 'the consumer team you answer for (you must be a member)')
      .addOption(new Option('--decision <decision>', 'approve, migrating (counts as approval) or block (needs --note)').choices(['approve', 'migrating', 'block']).default('approve'))
      .option('--note <text>', 'a note for the producer (required with block)')
      .option('--json', 'machine-readable output')
      .action(lazy(() => import('../commands/ack.js'))),
    ['tessera ack p-3f9a2c1d --team growth', 'tessera ack analytics.users --team finance --decision block --note "churn model reads email"'],
  );
  examples(
    program
      .command('proposals')
      .description('list proposals and who still has to answer')
      .option('--asset <asset>', 'only proposals for this asset')
      .addOption(new Option('--status <status>', 'only this status').choices(['open', 'merged', 'withdrawn', 'expired', 'superseded', 'forced']))
      .option('--pending-for <team>', 'only proposals waiting for this team')
      .option('--json', 'machine-readable output')
      .action(lazy(() => import('../commands/proposals.js'))),
    ['tessera proposals --pending-for growth', 'tessera proposals --status merged --json'],
  );
  examples(
    program
      .command('merge')
      .description('merge a proposal whose acknowledgments are complete (refuses and lists who is missing otherwise)')
      .argument('<proposal>', 'proposal id or asset id')
      .option('--force', "also merge a proposal held for its pull request (sync-dbt --pull-request), e.g. when the pull request merged before the last ack; the acks must still be complete")
      .option('--json', 'machine-readable output')
      .action(lazy(() => import('../commands/merge.js'))),
    ['tessera merge p-3f9a2c1d', 'tessera merge p-3f9a2c1d --force'],
  );
  examples(
    program
      .command('withdraw')
      .description('withdraw an open proposal (owner team only), or every open proposal of a pull request (--pull-request)')
      .argument('[proposal]', 'proposal id or asset id')
      .option('--pull-request [number]', 'withdraw every open proposal naming this pull request, e.g. when it closed unmerged (without a number: from the GitHub pull_request event or GitLab merge request pipeline)')
      .option('--reason <text>', 'why (recorded)')
      .option('--json', 'machine-readable output')
      .action(lazy(() => import('../commands/withdraw.js'))),
    ['tessera withdraw p-3f9a2c1d --reason "kept email after all"', 'tessera withdraw --pull-request 42 --reason "pull request closed unmerged"'],
  );
  examples(
    program
      .command('expire')
      .description('close every open proposal past its expiry (for a scheduled job)')
      .option('--json', 'machine-readable output')
      .action(lazy(() => import('../commands/expire.js'))),
    ['tessera expire'],
  );
  examples(
    program
      .command('verify')
      .description("check the registry's history: invalid files, breaking changes without complete acks, acks by non-members, unsigned commits")
      .option('--since <ref>', 'only check commits after this one (e.g. the previous CI run)')
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'github']).default('text'))
      .option('--json', 'same as --format json')
      .action(lazy(() => import('../commands/verify.js'))),
    ['tessera verify', 'tessera verify --since origin/main~1 --format github'],
  );
}
