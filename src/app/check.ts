/** `tessera check`: publish's judgement of a contract against the registry, writing nothing. */
import type { AppContext, Outcome } from './context.js';
import { isoNow } from './context.js';
import { planPublishOn } from './publish.js';
import { defaultModeFor, type PublishDecision, type PublishRequest as ContractRequest } from '../core/publish.js';
import { assetDir, CONFIG_PATH } from '../core/paths.js';
import type { DiffOptions } from '../core/diff/types.js';
import { readConsumers } from '../registry/state.js';
import { evaluateTeams, scopeRecord } from '../core/scope/teams.js';

export interface CheckResult {
  decision: PublishDecision;
  /** Publishing it would need the consumers' acks. */
  breaking: boolean;
  /** For a breaking change: the consumers whose fields meet it (they would have to acknowledge) and those only informed. */
  teams?: { required: string[]; informed: string[] };
  options: DiffOptions;
}

/** A check writes nothing, so its outcome has no commits and no events; membership is not asked. */
export async function check(ctx: AppContext, contract: ContractRequest): Promise<Outcome<CheckResult>> {
  const snap = await ctx.repo.snapshot(undefined, [CONFIG_PATH, assetDir(contract.asset)]);
  const { config, decision } = await planPublishOn(snap, contract, 'check@tessera.invalid', isoNow(ctx.now()), false);
  const options: DiffOptions = { mode: 'report' in decision ? decision.report.mode : (contract.mode ?? defaultModeFor(config, contract.kind ?? 'table')), contentModel: config.defaults.content_model, policy: 'strict', profile: 'tessera' };
  let teams: CheckResult['teams'];
  if (decision.action === 'breaking') {
    const strict = config.policy.strict_acks;
    const scope = strict ? undefined : scopeRecord(decision.newVersion.changes, decision.newVersion.schema);
    const scopes = evaluateTeams({ id: '', required_teams: [], ...(scope ? { scope } : {}) }, await readConsumers(snap, contract.asset), strict);
    teams = { required: scopes.filter((t) => t.required).map((t) => t.team), informed: scopes.filter((t) => !t.required).map((t) => t.team) };
  }
  return { result: { decision, breaking: decision.action === 'breaking', options, ...(teams ? { teams } : {}) }, commits: {}, events: [], retries: 0 };
}
