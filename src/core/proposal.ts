/**
 * Proposals: pure planning and state. A breaking change becomes a proposal
 * branch; each consumer team acknowledges on its own ref (so thirty teams
 * acking at once never queue behind each other); the proposal merges when
 * every required team currently registered on the asset has an approving
 * ack for its current fingerprint. Which teams are required, and what each
 * fingerprint covers, is scope/teams.ts's (docs/scoped-acks.md).
 */
import { createHash } from 'node:crypto';
import { encodeYaml } from './codec.js';
import { InputError, PolicyError } from './errors.js';
import { assertMember, mayActFor } from './membership.js';
import { parseKeyEmail } from './keys.js';
import {
  assetSchema,
  consumerSchema,
  proposalSchema,
  versionSchema,
  type Ack,
  type Asset,
  type ChangeRecord,
  type Consumer,
  type Decision,
  type Proposal,
  type ProposalStatus,
  type PullRequestRef,
  type RegistryConfig,
  type Team,
  type Version,
} from './model.js';
import { assetPath, consumerPath, versionPath } from './paths.js';
import type { FileWrite } from './plan-types.js';
import { ackCurrent, evaluateTeams, scopeRecord, teamFingerprint, type ConsumerScope, type TeamScope } from './scope/teams.js';

export const PROPOSAL_BRANCH_PREFIX = 'refs/heads/tessera/proposals/';
export const ACK_REF_PREFIX = 'refs/tessera/acks/';
export const proposalBranch = (id: string) => `${PROPOSAL_BRANCH_PREFIX}${id}`;
export const ackRef = (id: string, team: string) => `${ACK_REF_PREFIX}${id}/${team}`;
export const proposalPath = (id: string) => `proposals/${id}.yaml`;
export const PROPOSAL_ID_PATTERN = /^p-[0-9a-f]{8}$/;

export function newProposalId(asset: string, version: string, createdAt: string, author: string): string {
  return 'p-' + createHash('sha256').update(`${asset}\n${version}\n${createdAt}\n${author}\n${Math.random()}`).digest('hex').slice(0, 8);
}

/**
 * A proposal id derived from what is proposed (asset, the version it is
 * judged against, a digest of the proposed contract), so a dry run prints
 * the id the real run opens. `taken` holds every id the registry knows (open
 * branches and closed records on main, plus ids given out in this run): the
 * first candidate not in it wins, so an id is never reused, even for the same
 * content proposed again after a withdrawal, and two proposals can never
 * share one. Deterministic for a given registry state.
 */
export function contentProposalId(asset: string, baseVersion: string, contractDigest: string, taken: ReadonlySet<string>): string {
  for (let n = 0; ; n++) {
    const id = 'p-' + createHash('sha256').update(`${asset}\n${baseVersion}\n${contractDigest}\n${n}`).digest('hex').slice(0, 8);
    if (!taken.has(id)) return id;
  }
}

/** The command a team runs to approve a proposal: printed wherever a proposal waits for it. */
export function ackCommand(id: string, team: string): string {
  return `tessera ack ${id} --team ${team}`;
}

/** How a pull request is named in messages: `#12`. */
export function pullRequestName(pr: PullRequestRef): string {
  return `#${pr.id}`;
}

/** A hash of the breaking-change set: acks answer one exact set of changes. */
export function fingerprintOf(asset: string, toVersion: string, changes: ChangeRecord[], schema: unknown): string {
  const breaking = changes.filter((c) => c.breaking).map((c) => `${c.rule} ${c.path}`).sort();
  return createHash('sha256').update(JSON.stringify([asset, toVersion, breaking, schema])).digest('hex').slice(0, 16);
}

export interface TeamAnswer {
  team: string;
  state: 'approved' | 'migrating' | 'blocked' | 'pending' | 'stale';
  ack?: Ack;
}

export interface ProposalView {
  proposal: Proposal;
  /** Teams registered on the asset now that must answer. */
  required: string[];
  /** Teams registered on the asset now that are told, not waited for: their declared fields miss the footprint. */
  informed: string[];
  /** Every registered team's standing and why. */
  scopes: TeamScope[];
  answers: TeamAnswer[];
  pending: string[];
  blocked: string[];
  complete: boolean;
  expired: boolean;
}

/**
 * Where every team stands, from the consumers registered on main (with their
 * declared fields) and the acks found on ack refs. `strict`: the registry's
 * policy.strict_acks, which turns scoping off.
 */
export function viewProposal(proposal: Proposal, consumersNow: readonly ConsumerScope[], acks: Map<string, Ack>, now: string, strict?: boolean): ProposalView {
  const scopes = evaluateTeams(proposal, consumersNow, strict);
  const required = scopes.filter((t) => t.required).map((t) => t.team);
  const informed = scopes.filter((t) => !t.required).map((t) => t.team);
  const answers: TeamAnswer[] = scopes.filter((t) => t.required).map((t) => {
    const team = t.team;
    const ack = acks.get(team);
    if (!ack || ack.proposal !== proposal.id) return { team, state: 'pending' };
    if (!ackCurrent(proposal, ack, t.fields, strict)) return { team, state: 'stale', ack };
    const state = ack.decision === 'approve' ? 'approved' : ack.decision === 'migrating' ? 'migrating' : 'blocked';
    return { team, state, ack };
  });
  const pending = answers.filter((a) => a.state === 'pending' || a.state === 'stale').map((a) => a.team);
  const blocked = answers.filter((a) => a.state === 'blocked').map((a) => a.team);
  return {
    proposal,
    required,
    informed,
    scopes,
    answers,
    pending,
    blocked,
    complete: proposal.status === 'open' && pending.length === 0 && blocked.length === 0,
    expired: proposal.status === 'open' && proposal.expires_at <= now,
  };
}

export function addDays(iso: string, days: number): string {
  return new Date(new Date(iso).getTime() + days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The files of a new (or superseding) proposal branch: the proposal record and the proposed version. */
export function planProposalFiles(input: {
  id: string;
  asset: Asset;
  newVersion: Version;
  /** The consumers registered now, with their declared fields: scoping splits them into required and informed. */
  consumers: readonly ConsumerScope[];
  author: string;
  now: string;
  config: RegistryConfig;
  downstream?: string[];
  createdAt?: string;
  /** Rename hints of the diff (tessera show prints them). */
  hints?: string[];
  /** The pull request whose manifest proposes it (sync-dbt --pull-request). */
  pullRequest?: PullRequestRef;
}): { proposal: Proposal; files: FileWrite[] } {
  const v: Version = { ...input.newVersion, via: 'proposal', proposal: input.id };
  const scope = input.config.policy.strict_acks ? undefined : scopeRecord(v.changes, v.schema);
  const proposal: Proposal = {
    id: input.id,
    asset: input.asset.id,
    from_version: input.asset.current_version,
    to_version: v.version,
    status: 'open',
    fingerprint: fingerprintOf(input.asset.id, v.version, v.changes, v.schema),
    changes: v.changes,
    author: input.author,
    owner: input.asset.owner,
    created_at: input.createdAt ?? input.now,
    expires_at: addDays(input.now, input.config.defaults.proposal_ttl_days),
    required_teams: [],
  };
  if (scope) proposal.scope = scope;
  // At creation nobody has narrowed yet: the split is by declared fields alone.
  const teams = evaluateTeams({ ...proposal, required_teams: [] }, input.consumers, input.config.policy.strict_acks);
  proposal.required_teams = teams.filter((t) => t.required).map((t) => t.team);
  const declared = Object.fromEntries(teams.flatMap((t) => (t.fields ? [[t.team, t.fields] as const] : [])));
  if (proposal.scope && Object.keys(declared).length > 0) proposal.scope.fields = declared;
  const informed = teams.filter((t) => !t.required).map((t) => t.team);
  if (informed.length > 0) proposal.informed_teams = informed;
  if (input.downstream?.length) proposal.downstream = input.downstream;
  if (input.hints?.length) proposal.hints = input.hints;
  if (input.pullRequest) proposal.pull_request = input.pullRequest;
  return {
    proposal,
    files: [
      { path: proposalPath(input.id), content: encodeYaml(proposalPath(input.id), proposalSchema, proposal) },
      { path: versionPath(v.asset, v.version), content: encodeYaml(versionPath(v.asset, v.version), versionSchema, v) },
    ],
  };
}

/** What a proposal branch needs to know of the open proposal it replaces. */
export interface SupersededProposal {
  id: string;
  /** The branch head the new commit goes on top of (compare-and-swap). */
  head: string;
  created_at: string;
  to_version: string;
}

/**
 * A proposal branch's files, new or replacing the asset's open proposal
 * (publish --supersede, and sync-dbt when the manifest no longer matches the
 * open proposal). A replacement keeps the id and creation time, gets a new
 * fingerprint (so acks given to the old one show as stale and stop counting)
 * and drops the old version file when it proposes another version.
 */
export function planProposalBranch(input: Parameters<typeof planProposalFiles>[0] & { supersedes?: SupersededProposal }): { proposal: Proposal; files: FileWrite[] } {
  const { supersedes, ...rest } = input;
  const planned = planProposalFiles(supersedes ? { ...rest, id: supersedes.id, createdAt: supersedes.created_at } : rest);
  if (supersedes && supersedes.to_version !== planned.proposal.to_version) planned.files.push({ path: versionPath(input.asset.id, supersedes.to_version), content: null });
  return planned;
}

/** Checks for an ack, then the team's consumer file with the ack appended. */
export function planAck(input: {
  config: RegistryConfig;
  proposal: Proposal;
  team: Team | undefined;
  teamName: string;
  consumer: Consumer | undefined;
  actor: string;
  now: string;
  decision: Decision;
  note?: string;
}): { ack: Ack; file: FileWrite } {
  const { proposal, team, teamName, consumer } = input;
  if (proposal.status !== 'open') throw new PolicyError(`proposal ${proposal.id} is ${proposal.status}`, 'only open proposals take acknowledgments');
  if (!team) throw new InputError(`unknown team '${teamName}'`, `see: tessera team list`);
  if (!mayActFor(input.config, team, input.actor)) {
    if (parseKeyEmail(input.actor)) assertMember(input.config, team, input.actor, 'acknowledge for it');
    throw new PolicyError(`${input.actor} is not a member of team '${team.name}' and cannot acknowledge for it`, `ask a member of ${team.name} to run the ack, or: tessera team add ${team.name} --member ${input.actor}`);
  }
  if (!consumer) {
    throw new PolicyError(`team '${teamName}' is not a registered consumer of '${proposal.asset}'`, `only consumers acknowledge; register first with: tessera consume ${proposal.asset} --team ${teamName}`);
  }
  if (input.decision === 'block' && !input.note?.trim()) throw new InputError('a block needs --note', 'say what would have to change, e.g. --note "we still read email in the churn model"');
  const fields = consumer.fields?.length ? consumer.fields : undefined;
  const ack: Ack = { proposal: proposal.id, decision: input.decision, by: input.actor, at: input.now, fingerprint: teamFingerprint(proposal, fields, input.config.policy.strict_acks) };
  if (input.note) ack.note = input.note;
  if (fields && ack.fingerprint !== proposal.fingerprint) ack.fields = [...fields];
  const next: Consumer = { ...consumer, acks: [...consumer.acks, ack] };
  const path = consumerPath(proposal.asset, teamName);
  return { ack, file: { path, content: encodeYaml(path, consumerSchema, next) } };
}

/** The latest ack for `proposalId` in a consumer file. */
export function latestAck(consumer: Consumer | undefined, proposalId: string): Ack | undefined {
  if (!consumer) return undefined;
  for (let i = consumer.acks.length - 1; i >= 0; i--) if (consumer.acks[i]!.proposal === proposalId) return consumer.acks[i];
  return undefined;
}

/** Closing record on main (withdrawn, expired, superseded, forced, merged). */
export function closedRecord(proposal: Proposal, status: ProposalStatus, by: string, now: string, reason?: string): FileWrite {
  const closed: Proposal = { ...proposal, status, closed_at: now, closed_by: by };
  if (reason) closed.reason = reason;
  return { path: proposalPath(proposal.id), content: encodeYaml(proposalPath(proposal.id), proposalSchema, closed) };
}

/**
 * The files a merge writes on main: the version (via proposal), the asset's
 * new current version, each acking team's consumer file carrying its ack, and
 * the proposal record.
 */
export function planMerge(input: {
  view: ProposalView;
  asset: Asset;
  version: Version;
  consumersOnMain: Map<string, Consumer>;
  by: string;
  now: string;
}): FileWrite[] {
  const { view, asset, version } = input;
  const p = view.proposal;
  if (asset.current_version !== p.from_version) {
    throw new PolicyError(
      `${p.asset} moved to ${asset.current_version} after proposal ${p.id} was made against ${p.from_version}`,
      `re-propose on top of it: tessera publish ${p.asset} <schema> --supersede`,
    );
  }
  const files: FileWrite[] = [];
  const v: Version = { ...version, via: 'proposal', proposal: p.id };
  files.push({ path: versionPath(p.asset, v.version), content: encodeYaml(versionPath(p.asset, v.version), versionSchema, v) });
  const nextAsset: Asset = { ...asset, current_version: v.version };
  if (v.retired) nextAsset.retired = true;
  files.push({ path: assetPath(p.asset), content: encodeYaml(assetPath(p.asset), assetSchema, nextAsset) });
  for (const a of view.answers) {
    const c = input.consumersOnMain.get(a.team);
    if (!c || !a.ack) continue;
    const path = consumerPath(p.asset, a.team);
    files.push({ path, content: encodeYaml(path, consumerSchema, { ...c, acks: [...c.acks, a.ack] }) });
  }
  files.push(closedRecord(p, 'merged', input.by, input.now));
  return files;
}
