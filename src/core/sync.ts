/**
 * Planning a dbt sync: pure. Given the planned assets (from src/dbt), what the
 * registry holds about each of them and the run's context, decide per asset
 * what happens, and assemble every file of the run: one set of changes for
 * the main branch and one proposal branch per breaking change. The shell
 * (src/app/sync-dbt.ts) reads the state and writes the result as a
 * single atomic ref transaction.
 */
import { encodeYaml } from './codec.js';
import { InputError, PolicyError } from './errors.js';
import { isMember } from './membership.js';
import { parseKeyEmail } from './keys.js';
import { assetSchema, consumerSchema, versionSchema, type Ack, type Asset, type AssetKind, type ChangeRecord, type Consumer, type Guarantee, type Proposal, type PullRequestRef, type RegistryConfig, type Team, type Version } from './model.js';
import { assetPath, consumerPath, versionPath } from './paths.js';
import { filesWithVia, planPublish, type AssetHistory, type PublishRequest } from './publish.js';
import { ackCommand, closedRecord, contentProposalId, planProposalBranch, pullRequestName, viewProposal, type SupersededProposal } from './proposal.js';
import { contractDigest } from './contract-digest.js';
import type { ConsumerScope, TeamScope } from './scope/teams.js';
import { planTeamAdd } from './team.js';
import { bumpVersion } from './semver.js';
import type { FileWrite } from './plan-types.js';
import type { JsonSchema } from './diff/types.js';

/** What a sync needs of a planned asset; src/dbt's DbtAssetPlan extends it. */
export interface SyncSourceAsset {
  /** Asset id from the warehouse relation (docs/dbt.md, "Asset ids"). */
  id: string;
  kind: AssetKind;
  uniqueId: string;
  packageName?: string;
  description?: string;
  tags: string[];
  /** Team name; undefined when no owner was found and no ownerDefault given. */
  owner?: string;
  /** JSON Schema 2020-12: { type: 'object', properties, required? }, closed by Tessera's default content model. */
  schema: Record<string, unknown>;
  guarantees: Guarantee[];
  /** Team names, sorted, without the owner. */
  consumers: string[];
  /**
   * The fields each consumer reads, where the manifest says (meta.tessera.fields,
   * or the columns a cross-team model selects); a consumer absent here reads
   * every field. Written on the registrations this run makes.
   */
  consumerFields?: Record<string, string[]>;
  /** Where each consumer's fields (or every field) come from, in one phrase: kept in its registration's purpose. */
  consumerScopes?: Record<string, string>;
  /** Asset ids of child assets, sorted. */
  downstream: string[];
  columns: { total: number; typed: number; untyped: string[] };
}

export interface SyncSourceTeam {
  name: string;
  members: string[];
  contact?: string;
}

export interface OpenProposalRef {
  id: string;
  fingerprint: string;
  from_version: string;
  to_version: string;
  /**
   * The open proposal in full, with its branch head, proposed version and ack
   * refs: what comparing it with the manifest, superseding it or withdrawing
   * it needs. Without them the proposal is only reported as open.
   */
  proposal?: Proposal;
  version?: Version;
  head?: string;
  acks?: Array<{ ref: string; commit: string }>;
  /** The latest ack each team's ack ref carries for it: who has approved (viewProposal). */
  answers?: ReadonlyMap<string, Ack>;
}

export interface SyncAssetState {
  history: AssetHistory;
  open?: OpenProposalRef;
  /**
   * The reader found the current version's schema and guarantees equal to the
   * planned ones (by contractDigest) and may then leave `history.versions`
   * empty: nothing is diffed for this asset.
   */
  sameContract?: boolean;
}

export interface SyncInput {
  assets: readonly SyncSourceAsset[];
  teams: readonly SyncSourceTeam[];
  /** Registry state of each planned asset, by id (absent: new asset). */
  state: ReadonlyMap<string, SyncAssetState>;
  /** Assets synced from dbt before, in this sync's scope, not retired and missing from the manifest. */
  missing: readonly SyncAssetState[];
  existingTeams: ReadonlyMap<string, Team>;
  config: RegistryConfig;
  actor: string;
  now: string;
  /** Proposal ids for breaking changes (tests pin them); default contentProposalId, avoiding takenProposalIds. */
  proposalId?: (asset: string, version: string) => string;
  /** Every proposal id the registry holds (open branches and closed records on main). */
  takenProposalIds?: ReadonlySet<string>;
  /** The dbt project of the manifest (metadata.project_name), recorded in each asset's origin. */
  project?: string;
  /**
   * Pull-request mode (`sync-dbt --pull-request`): plan exactly as a sync of
   * main, but only this pull request's proposals are written (opened,
   * superseded, withdrawn with their records on main); every other main-branch
   * file waits for the pull request to merge. Other open proposals are left
   * alone. Without it (a sync of main), proposals that name a pull request are
   * left alone unless main's manifest makes a breaking change to their asset:
   * the acked contract merges, another one replaces the proposal.
   */
  pullRequest?: PullRequestRef;
}

export type FindingSeverity = 'breaking' | 'warning' | 'info';

export interface Finding {
  severity: FindingSeverity;
  /** A rule id of the diff catalog, a guarantee rule, or a sync rule (ASSET_RETIRED, PROPOSAL_ALREADY_OPEN, PROPOSAL_SUPERSEDED, PROPOSAL_WITHDRAWN, COLUMN_UNTYPED, OWNER_MISMATCH). */
  rule: string;
  asset: string;
  path?: string;
  message: string;
}

export type SyncAction =
  | 'created'
  | 'published'
  | 'published-major'
  | 'unchanged'
  | 'restored'
  | 'proposed'
  | 'proposal-open'
  | 'superseded'
  | 'retired'
  | 'retire-proposed'
  /** Pull-request mode: the pull request's open proposal has every ack; it publishes when the pull request merges. */
  | 'approved'
  /** Sync of main: the approved pull-request proposal proposes exactly the manifest's contract and merges (SyncPlan.merges). */
  | 'merged';

export interface SyncItem {
  asset: string;
  action: SyncAction;
  owner: string;
  from?: string;
  version?: string;
  changes: ChangeRecord[];
  /** Teams registered as consumers of the asset by this run. */
  consumersAdded: string[];
  /** Observations of the diff that are not rules (rename hints). */
  hints?: string[];
  /** Only guarantees changed, the schema did not. */
  guaranteesOnly?: boolean;
  /** The asset's origin (dbt project, unique_id, package) was brought up to date, its contract unchanged. */
  originUpdated?: boolean;
  /** superseded: it replaces the open proposal; acks_still_count: the replacement kept its fingerprint, so its acks stand. */
  proposal?: { id: string; required_teams: string[]; downstream: string[]; expires_at: string; fingerprint: string; superseded?: boolean; acks_still_count?: boolean; retire?: boolean };
  /** The asset's open proposal, withdrawn by this run because the manifest no longer makes its change. */
  withdrawn?: { id: string; reason: string };
  /** The proposal the asset's breaking change waits on (opened, superseded or already open) and who has still to approve it. */
  gate?: ProposalGate;
}

/** Where the proposal a breaking change waits on stands. */
export interface ProposalGate {
  id: string;
  from_version: string;
  to_version: string;
  /** Teams registered on the asset now that must approve (their scope meets the change's footprint). */
  required_teams: string[];
  /** Teams registered on the asset now that are told, not waited for. */
  informed_teams: string[];
  /** Every registered team's standing and why (docs/scoped-acks.md). */
  scopes: TeamScope[];
  /** Required teams without an approving ack for the current fingerprint (pending, stale or blocked), sorted. */
  missing: string[];
  blocked: string[];
  /** Every required team has approved. */
  approved: boolean;
  /** `tessera ack <id> --team <team>` for each missing team. */
  ack_commands: string[];
  pull_request?: PullRequestRef;
}

/** An approved pull-request proposal whose contract main's manifest makes: app/sync-dbt.ts merges it (app/merge.ts). */
export interface PlannedMerge {
  asset: string;
  id: string;
  from_version: string;
  to_version: string;
  pull_request?: PullRequestRef;
}

export interface PlannedProposal {
  asset: string;
  owner: string;
  proposal: Proposal;
  files: FileWrite[];
  /** Set when the branch replaces an open proposal: its commit goes on top of that branch head. */
  supersedes?: SupersededProposal;
}

/** An open proposal this run closes (its record on main is in mainFiles): the shell deletes its branch and ack refs. */
export interface WithdrawnProposal {
  asset: string;
  id: string;
  from_version: string;
  to_version: string;
  reason: string;
  /** superseded: main's manifest made another breaking change than the pull request's proposal (a new proposal replaces it). */
  status: 'withdrawn' | 'superseded';
  head: string;
  acks: Array<{ ref: string; commit: string }>;
}

export interface SyncPlan {
  items: SyncItem[];
  mainFiles: FileWrite[];
  proposals: PlannedProposal[];
  withdrawn: WithdrawnProposal[];
  /** Sync of main: approved pull-request proposals to merge before anything else is written. */
  merges: PlannedMerge[];
  /** Set in pull-request mode: mainFiles then holds only the records of this pull request's closed proposals. */
  pullRequest?: PullRequestRef;
  teamsCreated: string[];
  consumersRegistered: Array<{ asset: string; team: string }>;
  findings: Finding[];
  /** Assets whose main-branch files change, sorted. */
  assetsWritten: string[];
  counts: Record<SyncAction, number>;
}

export const SEVERITY_RANK: Record<FindingSeverity, number> = { breaking: 3, warning: 2, info: 1 };

/**
 * Whether two JSON values are equal when their keys are compared as sets,
 * which is what comparing their key-sorted JSON texts decides (a key whose
 * value is undefined is absent, a non-finite number is null, as in JSON),
 * without building either text: the unchanged check runs once per asset.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return !Number.isFinite(a) && !Number.isFinite(b);
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    return jsonNull(a) && jsonNull(b);
  }
  const arr = Array.isArray(a);
  if (arr !== Array.isArray(b)) return false;
  if (arr) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) {
      const p = x[i];
      const q = y[i];
      // In an array, undefined (and functions) read as null.
      if (!sameValue(p === undefined ? null : p, q === undefined ? null : q)) return false;
    }
    return true;
  }
  if (typeof (a as { toJSON?: unknown }).toJSON === 'function' || typeof (b as { toJSON?: unknown }).toJSON === 'function') {
    return JSON.stringify(a) === JSON.stringify(b);
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let nx = 0;
  for (const k in x) {
    if (!Object.hasOwn(x, k)) continue;
    const v = x[k];
    if (v === undefined || typeof v === 'function') continue;
    nx++;
    const w = Object.hasOwn(y, k) ? y[k] : undefined;
    if (w === undefined || typeof w === 'function' || !sameValue(v, w)) return false;
  }
  let ny = 0;
  for (const k in y) {
    if (!Object.hasOwn(y, k)) continue;
    const w = y[k];
    if (w !== undefined && typeof w !== 'function') ny++;
  }
  return nx === ny;
}

/** Values JSON writes as null. */
function jsonNull(v: unknown): boolean {
  return v === null || (typeof v === 'number' && !Number.isFinite(v));
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+$/;

function emptyCounts(): Record<SyncAction, number> {
  return { created: 0, published: 0, 'published-major': 0, unchanged: 0, restored: 0, proposed: 0, 'proposal-open': 0, superseded: 0, retired: 0, 'retire-proposed': 0, approved: 0, merged: 0 };
}

/** Decide every asset of a sync and assemble its files. Throws InputError (new asset without owner) or PolicyError (not authorised). */
export function planSync(input: SyncInput): SyncPlan {
  const { config, actor, now } = input;
  const taken = new Set(input.takenProposalIds ?? []);
  for (const st of [...input.state.values(), ...input.missing]) if (st.open) taken.add(st.open.id);
  // From what is proposed, so a dry run names the ids the real run opens.
  const proposalId = (asset: Asset, v: Version): string => {
    const id = input.proposalId ? input.proposalId(asset.id, v.version) : contentProposalId(asset.id, asset.current_version, `${contractDigest(v.schema, v.guarantees)}${v.retired ? ' retired' : ''}`, taken);
    taken.add(id);
    return id;
  };

  const unowned = input.assets.filter((a) => !a.owner && !input.state.get(a.id)?.history.asset).map((a) => a.id);
  if (unowned.length > 0) {
    const shown = unowned.slice(0, 3).join(', ') + (unowned.length > 3 ? ` and ${unowned.length - 3} more` : '');
    throw new InputError(`${unowned.length} new asset(s) have no owner in the manifest: ${shown}`, 'set meta.owner (or a group) in dbt, or pass --owner-default <team>');
  }

  const items: SyncItem[] = [];
  const mainFiles: FileWrite[] = [];
  const proposals: PlannedProposal[] = [];
  const withdrawn: WithdrawnProposal[] = [];
  const merges: PlannedMerge[] = [];
  /** Closing records of proposals, on main in every mode. */
  const records: FileWrite[] = [];
  const findings: Finding[] = [];
  const pr = input.pullRequest;
  const prName = pr ? pullRequestName(pr) : '';
  /**
   * The open proposals this run may change: in pull-request mode that pull
   * request's own, on main those that name no pull request (a pull request's
   * proposal waits for its pull request, see decideBreaking).
   */
  const ours = (open: OpenProposalRef): boolean => (pr ? open.proposal?.pull_request?.id === pr.id : !open.proposal?.pull_request);
  const consumersRegistered: Array<{ asset: string; team: string }> = [];
  const written = new Set<string>();
  /** Owner teams on whose behalf this run writes. */
  const actingFor = new Set<string>();
  /** Teams a file of this run names: the owners of created assets and the consumers registered. */
  const named = new Set<string>();
  const newOwners = new Set<string>();

  // A manifest without a project name keeps the project an asset already records.
  const origin = (a: SyncSourceAsset, current?: Asset): NonNullable<Asset['origin']> => {
    const project = input.project ?? (current?.origin?.system === 'dbt' ? current.origin.project : undefined);
    return { system: 'dbt', unique_id: a.uniqueId, ...(a.packageName ? { package: a.packageName } : {}), ...(project ? { project } : {}) };
  };

  /** Close the asset's open proposal: the record on main now, the refs in the shell. */
  const close = (item: SyncItem, open: OpenProposalRef, status: WithdrawnProposal['status'], reason: string): boolean => {
    if (!open.proposal || !open.head) return false;
    records.push(closedRecord(open.proposal, status, actor, now, reason));
    withdrawn.push({ asset: item.asset, id: open.id, from_version: open.from_version, to_version: open.to_version, reason, status, head: open.head, acks: open.acks ?? [] });
    item.withdrawn = { id: open.id, reason };
    actingFor.add(item.owner);
    if (status === 'withdrawn') findings.push({ severity: 'info', rule: 'PROPOSAL_WITHDRAWN', asset: item.asset, message: `proposal ${open.id} (${open.from_version} -> ${open.to_version}) withdrawn: ${reason}` });
    else findings.push({ severity: 'warning', rule: 'PROPOSAL_SUPERSEDED', asset: item.asset, message: `proposal ${open.id} (${open.from_version} -> ${open.to_version}) superseded: ${reason}` });
    return true;
  };
  /** The manifest no longer makes the open proposal's change: withdraw it, if it is this run's to close. */
  const withdraw = (item: SyncItem, open: OpenProposalRef, reason: string): boolean => ours(open) && close(item, open, 'withdrawn', reason);

  /** Who has answered the proposal, against the teams registered on main now. */
  const gateOf = (proposal: Proposal, answers: ReadonlyMap<string, Ack> | undefined, registered: readonly ConsumerScope[]): ProposalGate => {
    const view = viewProposal(proposal, registered, new Map(answers ?? []), now, config.policy.strict_acks);
    const missing = [...view.pending, ...view.blocked].sort();
    return {
      id: proposal.id,
      from_version: proposal.from_version,
      to_version: proposal.to_version,
      required_teams: view.required,
      informed_teams: view.informed,
      scopes: view.scopes,
      missing,
      blocked: view.blocked,
      approved: view.complete,
      ack_commands: missing.map((t) => ackCommand(proposal.id, t)),
      ...(proposal.pull_request ? { pull_request: proposal.pull_request } : {}),
    };
  };

  /** The open proposal already proposes the manifest's contract: it waits for acks, or (approved) for its pull request, or merges. */
  const waitOn = (item: SyncItem, open: OpenProposalRef, registered: readonly ConsumerScope[], what: string): void => {
    item.action = 'proposal-open';
    if (!open.proposal) {
      findings.push({ severity: 'breaking', rule: 'PROPOSAL_ALREADY_OPEN', asset: item.asset, message: `${what} waits on proposal ${open.id} (${open.from_version} -> ${open.to_version}); supersede it with tessera publish --supersede or withdraw it` });
      return;
    }
    const gate = gateOf(open.proposal, open.answers, registered);
    item.gate = gate;
    const held = open.proposal.pull_request;
    if (gate.approved && held) {
      if (pr) {
        item.action = 'approved';
        findings.push({ severity: 'info', rule: 'PROPOSAL_APPROVED', asset: item.asset, message: `${what}: proposal ${open.id} is approved by ${gate.required_teams.join(', ') || 'every team'}; publishes when pull request ${pullRequestName(held)} merges` });
      } else {
        item.action = 'merged';
        item.version = open.to_version;
        merges.push({ asset: item.asset, id: open.id, from_version: open.from_version, to_version: open.to_version, pull_request: held });
        actingFor.add(item.owner);
        findings.push({ severity: 'info', rule: 'PROPOSAL_MERGED', asset: item.asset, message: `proposal ${open.id}, approved on pull request ${pullRequestName(held)}, publishes ${item.asset} ${open.to_version}: main's manifest makes the contract that was acknowledged` });
      }
      return;
    }
    if (gate.approved && !pr && gate.required_teams.length === 0 && gate.informed_teams.length > 0) {
      // Scoped acknowledgments: no consumer's fields meet the change, so nobody is waited for; the sync of main merges it.
      item.action = 'merged';
      item.version = open.to_version;
      merges.push({ asset: item.asset, id: open.id, from_version: open.from_version, to_version: open.to_version });
      actingFor.add(item.owner);
      findings.push({ severity: 'info', rule: 'PROPOSAL_MERGED', asset: item.asset, message: `proposal ${open.id} publishes ${item.asset} ${open.to_version}: no consumer's declared fields meet the change (informed: ${gate.informed_teams.join(', ')})` });
      return;
    }
    const on = `${what} waits on proposal ${open.id}${held ? ` (pull request ${pullRequestName(held)})` : ''}`;
    const message = gate.approved
      ? `${on}: every team approved; merge it: tessera merge ${open.id}`
      : `${on}, missing acks from ${gate.missing.map((t) => (gate.blocked.includes(t) ? `${t} (blocked)` : t)).join(', ')}: ${gate.ack_commands.join('; ')}`;
    findings.push({ severity: 'breaking', rule: 'PROPOSAL_ALREADY_OPEN', asset: item.asset, message });
  };

  /**
   * A breaking change that consumers must acknowledge: wait on the open
   * proposal that proposes it, supersede the run's own proposal that does
   * not, or open one. In pull-request mode another proposal open on the
   * asset (another pull request's, or main's) refuses the change: an asset
   * has one open proposal at a time. On main, a pull request's proposal that
   * proposes another contract than the manifest's is closed as superseded
   * and a new proposal (naming no pull request) replaces it.
   *
   * `registered`: the consumers on main before this run; `consumers` adds
   * those this run registers. A sync of main registers them in its commit,
   * so they must answer its proposals; a pull request's registrations wait
   * for its merge, so its proposals are answered by the teams registered
   * already, and so is a pull request's proposal when main merges it.
   */
  const decideBreaking = (item: SyncItem, current: Asset, next: Version, consumers: readonly ConsumerScope[], registered: readonly ConsumerScope[], downstream: string[], hints: string[], open: OpenProposalRef | undefined, what: string): PlannedProposal | undefined => {
    if (open && !ours(open) && pr) {
      item.action = 'proposal-open';
      const other = open.proposal?.pull_request ? `pull request ${pullRequestName(open.proposal.pull_request)}` : 'the main branch';
      findings.push({ severity: 'breaking', rule: 'PROPOSAL_OPEN_ELSEWHERE', asset: item.asset, message: `${what} cannot be proposed for pull request ${prName}: proposal ${open.id} (${open.from_version} -> ${open.to_version}, from ${other}) is open for this asset and an asset has one open proposal at a time; merge or close that first, then re-run this check` });
      return undefined;
    }
    const answering = (o: OpenProposalRef | undefined) => (pr || o?.proposal?.pull_request ? registered : consumers);
    if (open && !ours(open)) {
      const why = mismatch(open, current, next);
      if (why === undefined) {
        waitOn(item, open, answering(open), what);
        return undefined;
      }
      close(item, open, 'superseded', `main's manifest proposes another contract than pull request ${pullRequestName(open.proposal!.pull_request!)} did (${why})`);
    } else if (open) {
      const why = mismatch(open, current, next);
      if (why === undefined) {
        waitOn(item, open, answering(open), what);
        return undefined;
      }
      return propose(item, current, next, consumers, downstream, hints, open, why, answering(open));
    }
    return propose(item, current, next, consumers, downstream, hints, undefined, undefined, answering(undefined));
  };

  /** How an open proposal differs from what this run would propose, or undefined when it is exactly that. */
  const mismatch = (open: OpenProposalRef, current: Asset, next: Version): string | undefined => {
    if (!open.version || !open.proposal || !open.head) return undefined;
    const why: string[] = [];
    if (open.from_version !== current.current_version) why.push(`it was made against ${open.from_version}, main is at ${current.current_version}`);
    if (Boolean(open.version.retired) !== Boolean(next.retired)) why.push(open.version.retired ? 'it retires the asset, the manifest still has it' : 'it changes the asset, the manifest no longer has it');
    else if (!next.retired) {
      if (!sameValue(open.version.schema, next.schema)) why.push('its schema differs from the manifest\'s');
      if (!sameValue(open.version.guarantees, next.guarantees)) why.push('its guarantees differ from the manifest\'s');
    }
    return why.length ? why.join('; ') : undefined;
  };

  /** A proposal branch for a breaking change, replacing the open proposal when there is one. */
  const propose = (item: SyncItem, current: Asset, next: Version, consumers: readonly ConsumerScope[], downstream: string[], hints: string[], open: OpenProposalRef | undefined, why: string | undefined, registered: readonly ConsumerScope[]): PlannedProposal => {
    const supersedes: SupersededProposal | undefined = open?.proposal && open.head ? { id: open.id, head: open.head, created_at: open.proposal.created_at, to_version: open.to_version } : undefined;
    const id = supersedes ? supersedes.id : proposalId(current, next);
    const { proposal, files } = planProposalBranch({ id, asset: current, newVersion: next, consumers, author: actor, now, config, downstream, hints, ...(supersedes ? { supersedes } : {}), ...(pr ? { pullRequest: { ...(open?.proposal?.pull_request ?? {}), ...pr } } : {}) });
    const planned: PlannedProposal = { asset: current.id, owner: current.owner, proposal, files, ...(supersedes ? { supersedes } : {}) };
    proposals.push(planned);
    // Acks answer a fingerprint: a replacement that keeps it keeps them (and may be approved already), and a
    // scoped team's ack stands while the changes and columns in its scope are the same (viewProposal judges each).
    item.gate = gateOf(proposal, supersedes ? open!.answers : undefined, registered);
    item.proposal = { id, required_teams: proposal.required_teams, downstream, expires_at: proposal.expires_at, fingerprint: proposal.fingerprint, ...(supersedes ? { superseded: true } : {}), ...(next.retired ? { retire: true } : {}) };
    if (supersedes) {
      item.action = 'superseded';
      if (proposal.fingerprint === open!.fingerprint) item.proposal.acks_still_count = true;
      // Acks answer a fingerprint (breaking changes and schema): a replacement that keeps it keeps them.
      const stale = proposal.fingerprint === open!.fingerprint
        ? '; same breaking changes and schema, so acknowledgments given to it still count'
        : `; acknowledgments given to it no longer count: ${proposal.required_teams.join(', ')} must acknowledge again`;
      findings.push({ severity: 'warning', rule: 'PROPOSAL_SUPERSEDED', asset: current.id, message: `proposal ${id} (${open!.from_version} -> ${open!.to_version}) no longer described the manifest (${why}): superseded by ${proposal.from_version} -> ${proposal.to_version}${stale}` });
    }
    return planned;
  };

  for (const a of input.assets) {
    const st = input.state.get(a.id);
    const history: AssetHistory = st?.history ?? { asset: undefined, versions: [], consumers: [] };
    const current = history.asset;
    const owner = current?.owner ?? a.owner!;
    if (current && a.owner && a.owner !== current.owner) {
      findings.push({ severity: 'warning', rule: 'OWNER_MISMATCH', asset: a.id, message: `the manifest names owner '${a.owner}', the registry '${current.owner}'; sync keeps the registry's owner (change it in the registry)` });
    }

    // Consumers the manifest names that are not registered yet: registered on main in this run.
    const registered = new Set(history.consumers.map((c) => c.team));
    const consumersAdded = a.consumers.filter((t) => t !== owner && !registered.has(t));
    const added: Consumer[] = consumersAdded.map((team) => {
      const fields = a.consumerFields?.[team];
      const why = a.consumerScopes?.[team];
      return { team, asset: a.id, purpose: `named in the dbt manifest (${a.uniqueId})${why ? `; fields: ${why}` : ''}`, ...(fields?.length ? { fields } : {}), registered_by: actor, registered_at: now, acks: [] };
    });
    const consumerFiles: FileWrite[] = added.map((c) => ({ path: consumerPath(a.id, c.team), content: encodeYaml(consumerPath(a.id, c.team), consumerSchema, c) }));
    const allConsumers: Consumer[] = [...history.consumers, ...added].sort((x, y) => (x.team < y.team ? -1 : x.team > y.team ? 1 : 0));

    // Built only for a contract that differs: reading a.schema may load it (a plan from the cache keeps contracts on disk).
    const request = (): PublishRequest => ({
      asset: a.id,
      owner,
      schema: a.schema as JsonSchema,
      guarantees: a.guarantees,
      kind: a.kind,
      tags: a.tags,
      origin: origin(a, current),
      downstream: a.downstream,
      ...(a.description !== undefined ? { description: a.description } : {}),
    });
    const latest = history.versions[history.versions.length - 1];
    const item: SyncItem = { asset: a.id, action: 'unchanged', owner, changes: [], consumersAdded };
    const untyped = () => {
      if (a.columns.untyped.length === 0) return;
      const shown = a.columns.untyped.slice(0, 5).join(', ') + (a.columns.untyped.length > 5 ? `, ... (+${a.columns.untyped.length - 5})` : '');
      findings.push({ severity: 'warning', rule: 'COLUMN_UNTYPED', asset: a.id, message: `${a.columns.untyped.length} column(s) without a data type accept any value: ${shown}` });
    };
    /** The contract stays; the asset file still records which project (and node) syncs it. */
    const keepOrigin = () => {
      if (!input.project || !current || current.origin?.system !== 'dbt' || sameValue(current.origin, origin(a, current))) return;
      mainFiles.push({ path: assetPath(a.id), content: encodeYaml(assetPath(a.id), assetSchema, { ...current, origin: origin(a, current) }) });
      item.originUpdated = true;
      written.add(a.id);
      actingFor.add(owner);
    };

    // Fast path: nothing to diff when the contract is byte-for-byte the same.
    const same = current && !current.retired && (st?.sameContract === true || (latest && sameValue(latest.schema, a.schema) && sameValue(latest.guarantees, a.guarantees)));
    if (same) {
      item.version = current.current_version;
      keepOrigin();
      if (st?.open) withdraw(item, st.open, `the manifest no longer makes this change: its contract equals ${a.id} ${current.current_version} on main`);
    } else {
      const decision = planPublish(request(), { ...history, consumers: history.consumers }, { config, actor, now });
      const changes = decision.action === 'published' ? decision.changes : decision.action === 'breaking' ? decision.newVersion.changes : [];
      item.changes = changes;
      item.version = decision.version;
      if ('from' in decision) item.from = decision.from;
      const hints = 'report' in decision ? decision.report.hints : [];
      if (hints.length) item.hints = hints;
      if (changes.length > 0 && changes.every((c) => c.path.startsWith('/guarantees'))) item.guaranteesOnly = true;
      if (decision.action === 'unchanged') {
        if (current?.retired) {
          // Back in the manifest after a retirement: the asset is live again.
          const { retired: _r, ...rest } = current;
          const restored = rest as Asset;
          if (current.origin?.system === 'dbt') restored.origin = origin(a, current);
          mainFiles.push({ path: assetPath(a.id), content: encodeYaml(assetPath(a.id), assetSchema, restored) });
          item.action = 'restored';
          written.add(a.id);
          actingFor.add(owner);
        } else keepOrigin();
        if (st?.open) withdraw(item, st.open, `the manifest no longer makes this change: its contract equals ${a.id} ${decision.version} on main`);
      } else if (decision.action === 'created' || decision.action === 'published') {
        mainFiles.push(...decision.files);
        item.action = decision.action;
        written.add(a.id);
        actingFor.add(owner);
        if (decision.action === 'created') {
          named.add(owner);
          newOwners.add(owner);
        }
        untyped();
        if (decision.action === 'published') {
          for (const g of decision.guarantees) {
            if (g.severity === 'warning') findings.push({ severity: 'warning', rule: g.rule, asset: a.id, path: `/guarantees/${g.guarantee}`, message: `${g.message} (guarantee_mode notify: published, consumers are notified)` });
          }
          if (st?.open) withdraw(item, st.open, `the manifest no longer makes this breaking change: ${a.id} ${decision.version} was published compatibly instead`);
        }
      } else {
        // Breaking.
        actingFor.add(owner);
        const breaking = changes.filter((c) => c.breaking);
        if (allConsumers.length === 0 && !config.policy.proposal_without_consumers) {
          mainFiles.push(...filesWithVia(decision, 'no-consumers'));
          item.action = 'published-major';
          written.add(a.id);
          untyped();
          for (const c of breaking) findings.push({ severity: 'warning', rule: c.rule, asset: a.id, path: c.path, message: `${c.message} (breaking, but no team consumes this asset: published as ${decision.version})` });
          if (st?.open) withdraw(item, st.open, `no team consumes ${a.id} any more: ${decision.version} was published directly`);
        } else {
          const planned = decideBreaking(item, current!, decision.newVersion, allConsumers, history.consumers, a.downstream, hints, st?.open, `breaking change (${[...new Set(breaking.map((c) => c.rule))].join(', ')})`);
          if (planned) {
            if (!planned.supersedes) item.action = 'proposed';
            untyped();
            const id = planned.proposal.id;
            const g = item.gate!;
            // Scoped acknowledgments: with every consumer informed there is nobody to wait for, so nothing to fail on.
            const nobody = g.required_teams.length === 0 && g.informed_teams.length > 0;
            for (const c of breaking) findings.push({ severity: nobody ? 'warning' : 'breaking', rule: c.rule, asset: a.id, path: c.path, message: `${c.message} (proposal ${id}: ${nobody ? `no consumer's declared fields meet it (informed: ${g.informed_teams.join(', ')}); the next sync of main publishes it` : `waiting for ${g.missing.join(', ') || 'no team'}`})` });
          }
        }
      }
    }
    if (consumerFiles.length > 0) {
      mainFiles.push(...consumerFiles);
      for (const team of consumersAdded) {
        consumersRegistered.push({ asset: a.id, team });
        named.add(team);
      }
      written.add(a.id);
      actingFor.add(owner);
    }
    items.push(item);
  }

  // Assets synced from dbt before and gone from the manifest.
  for (const st of input.missing) {
    const current = st.history.asset;
    const latest = st.history.versions[st.history.versions.length - 1];
    if (!current || !latest || current.retired) continue;
    const consumers = st.history.consumers;
    const item: SyncItem = { asset: current.id, action: 'retired', owner: current.owner, from: current.current_version, changes: [], consumersAdded: [] };
    actingFor.add(current.owner);
    const change: ChangeRecord = { rule: 'ASSET_RETIRED', path: '', message: `${current.id} is no longer in the dbt manifest (was ${current.origin?.unique_id ?? 'a dbt asset'})`, breaking: consumers.length > 0 };
    const version = bumpVersion(current.current_version, 'major');
    const retiring: Version = versionSchema.parse({
      ...latest,
      version,
      previous_version: latest.version,
      published_by: actor,
      published_at: now,
      changes: [change],
      via: 'direct',
      retired: true,
    });
    delete retiring.forced;
    delete retiring.proposal;
    if (consumers.length === 0 && !config.policy.proposal_without_consumers) {
      mainFiles.push({ path: assetPath(current.id), content: encodeYaml(assetPath(current.id), assetSchema, { ...current, retired: true }) });
      written.add(current.id);
      item.version = current.current_version;
      item.changes = [change];
      findings.push({ severity: 'info', rule: 'ASSET_RETIRED', asset: current.id, message: `${change.message}; no consumers: marked retired` });
      if (st.open) withdraw(item, st.open, `${current.id} left the dbt manifest and was retired`);
    } else {
      item.changes = [change];
      const planned = decideBreaking(item, current, retiring, consumers, consumers, current.downstream ?? [], [], st.open, `retirement (${change.message})`);
      if (planned) {
        if (!planned.supersedes) item.action = 'retire-proposed';
        item.version = version;
        findings.push({ severity: 'breaking', rule: 'ASSET_RETIRED', asset: current.id, message: `${change.message}; proposal ${planned.proposal.id} retires it once ${item.gate!.missing.join(', ') || 'every team'} acknowledge` });
      }
    }
    items.push(item);
  }

  // Teams: only those a file of this run names and the registry lacks, so a
  // team (say the --owner-default one) appears with the first asset it owns.
  const teamsCreated: string[] = [];
  const sourceTeams = new Map(input.teams.map((t) => [t.name, t]));
  const teamFiles: FileWrite[] = [];
  for (const name of [...named].sort()) {
    if (input.existingTeams.has(name)) continue;
    const src = sourceTeams.get(name);
    const members = (src?.members ?? []).filter((m) => EMAIL.test(m));
    // The producer that creates an owner team by syncing becomes its member, so its next sync is authorised.
    if (newOwners.has(name)) members.push(actor);
    const decision = planTeamAdd(undefined, { name, members, ...(src?.contact ? { contact: src.contact } : {}) }, { config, actor, now });
    teamFiles.push(...decision.files);
    teamsCreated.push(name);
  }
  mainFiles.unshift(...teamFiles);
  const createdTeams = new Set(teamsCreated);

  // Authorised as the sync of main would be: a pull request's check fails early when its merge could not sync.
  authorise(input, actingFor, createdTeams);

  const counts = countsOf(items);
  sortFindings(findings);
  if (pr) {
    // Nothing of the contracts is live before the pull request merges: main gets only the records of its closed proposals.
    return { items, mainFiles: records, proposals, withdrawn, merges, pullRequest: pr, teamsCreated: [], consumersRegistered: [], findings, assetsWritten: [], counts };
  }
  mainFiles.push(...records);
  return { items, mainFiles, proposals, withdrawn, merges, teamsCreated, consumersRegistered, findings, assetsWritten: [...written].sort(), counts };
}

function countsOf(items: readonly SyncItem[]): Record<SyncAction, number> {
  const counts = emptyCounts();
  for (const i of items) counts[i.action]++;
  return counts;
}

/** Most severe first, then by asset. */
function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((x, y) => SEVERITY_RANK[y.severity] - SEVERITY_RANK[x.severity] || (x.asset < y.asset ? -1 : x.asset > y.asset ? 1 : 0));
}

/**
 * What a sync that merged approved pull-request proposals first reports: the
 * plan made after the merges (where those assets are unchanged), with the
 * merged assets' items and findings from the plan made before them.
 */
export function foldMerges(after: SyncPlan, before: SyncPlan, merged: ReadonlySet<string>): SyncPlan {
  const byAsset = new Map(before.items.filter((i) => i.action === 'merged' && i.gate && merged.has(i.gate.id)).map((i) => [i.asset, i]));
  const items = after.items.map((i) => {
    const m = byAsset.get(i.asset);
    return m && i.action === 'unchanged' ? { ...m, consumersAdded: i.consumersAdded } : i;
  });
  const findings = sortFindings([...before.findings.filter((f) => f.rule === 'PROPOSAL_MERGED' && byAsset.has(f.asset)), ...after.findings]);
  return { ...after, items, findings, merges: before.merges.filter((m) => merged.has(m.id)), counts: countsOf(items) };
}

/**
 * sync-dbt is the producer's CI: it acts for the owner teams the manifest
 * names. Under `policy.membership_checks` the actor must be a member of each
 * owner team it writes for (create, publish, propose, retire, register
 * consumers), or be listed in `policy.ci_actors`. A team this run creates is
 * the actor's (it becomes a member), like `tessera team add`.
 */
function authorise(input: SyncInput, actingFor: ReadonlySet<string>, createdTeams: ReadonlySet<string>): void {
  const { config, actor } = input;
  // A key acts for its own team only, even with the checks off.
  if (!config.policy.membership_checks && !parseKeyEmail(actor)) return;
  const a = actor.toLowerCase();
  if (config.policy.ci_actors.some((c) => c.toLowerCase() === a)) return;
  const refused = [...actingFor].filter((t) => !createdTeams.has(t)).filter((t) => {
    const team = input.existingTeams.get(t);
    return !team || !isMember(team, actor);
  }).sort();
  if (refused.length === 0) return;
  throw new PolicyError(
    `${actor} is not a member of owner team(s) ${refused.map((t) => `'${t}'`).join(', ')} and cannot sync their assets`,
    `add the CI identity to tessera.yaml policy.ci_actors, or: tessera team add ${refused[0]} --member ${actor}`,
  );
}

/** Exit code of a run: 1 when any finding reaches the --fail-on level. */
export function reachesFailOn(findings: readonly Finding[], failOn: 'breaking' | 'warning' | 'never'): boolean {
  if (failOn === 'never') return false;
  const min = SEVERITY_RANK[failOn];
  return findings.some((f) => SEVERITY_RANK[f.severity] >= min);
}
