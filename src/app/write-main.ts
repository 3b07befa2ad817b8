/**
 * The common write path of commands that change the main branch: plan on a
 * fresh snapshot, commit the planned files as one commit, compare-and-swap,
 * and re-plan from scratch if someone else wrote first.
 */
import type { AppContext } from './context.js';
import { isoNow, unixSeconds } from './context.js';
import type { Snapshot } from '../registry/snapshot.js';
import type { FileWrite } from '../core/plan-types.js';
import { MAIN_REF } from '../core/paths.js';
import type { Identity } from '../registry/commit-writer.js';

export interface MainPlan<R> {
  files: FileWrite[];
  message: string;
  result: R;
}

export interface WriteOutcome<R> {
  result: R;
  commit: string | undefined;
  retries: number;
}

export interface PlanEnv {
  snap: Snapshot;
  actor: Identity;
  now: string;
}

export async function writeMain<R>(ctx: AppContext, plan: (env: PlanEnv) => Promise<MainPlan<R>>, options: { dryRun?: boolean; pathspecs?: (string | undefined)[] } = {}): Promise<WriteOutcome<R>> {
  const actor = await ctx.identity();
  const at = ctx.now();
  const pathspecs = options.pathspecs?.filter((p): p is string => p !== undefined);
  const outcome = await ctx.repo.transact(
    async () => {
      const snap = await ctx.repo.snapshot(MAIN_REF, pathspecs);
      const p = await plan({ snap, actor, now: isoNow(at) });
      if (options.dryRun || p.files.length === 0) return { writes: [], result: p.result };
      return {
        writes: [{ ref: MAIN_REF, expectedOld: snap.commit, commit: { parents: snap.commit ? [snap.commit] : [], changes: p.files, message: p.message } }],
        result: p.result,
      };
    },
    { author: actor, when: () => unixSeconds(at) },
  );
  return { result: outcome.result, commit: outcome.commits[MAIN_REF], retries: outcome.retries };
}
