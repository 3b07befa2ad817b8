/**
 * Planning a dbt sync: pure. Given the planned assets (from src/dbt), what the
 * registry holds about each of them and the run's context, decide per asset
 * what happens, and assemble every file of the run: one set of changes for
 * the main branch and one proposal branch per breaking change. The shell
 * (src/cli/commands/sync-dbt.ts) reads the state and writes the result as a
 * single atomic ref transaction.
 */
import { encodeYaml } from './codec.js';
import { InputError, PolicyError } from './errors.js';
import { isMember } from './membership.js';
import { assetSchema, consumerSchema, versionSchema, type Asset, type AssetKind, type ChangeRecord, type Consumer, type Guarantee, type Proposal, type RegistryConfig, type Team, type Version } from './model.js';
import { assetPath, consumerPath, versionPath } from './paths.js';
import { filesWithVia, planPublish, type AssetHistory, type PublishRequest } from './publish.js';
import { newProposalId, planProposalFiles } from './proposal.js';
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
  /** Proposal ids for breaking changes (tests pin them); default newProposalId. */
  proposalId?: (asset: string, version: string) => string;
}

export type FindingSeverity = 'breaking' | 'warning' | 'info';

export interface Finding {
  severity: FindingSeverity;
  /** A rule id of the diff catalog, a guarantee rule, or a sync rule (ASSET_RETIRED, PROPOSAL_ALREADY_OPEN, COLUMN_UNTYPED, OWNER_MISMATCH). */
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
  | 'retired'
  | 'retire-proposed';

export interface SyncItem {
  asset: string;
  action: SyncAction;
  owner: string;
  from?: string;
  version?: string;
  changes: ChangeRecord[];
  /** Teams registered as consumers of the asset by this run. */
  consumersAdded: string[];
  proposal?: { id: string; required_teams: string[]; downstream: string[]; expires_at: string; fingerprint: string };
}

export interface PlannedProposal {
  asset: string;
  owner: string;
  proposal: Proposal;
  files: FileWrite[];
}

export interface SyncPlan {
  items: SyncItem[];
  mainFiles: FileWrite[];
  proposals: PlannedProposal[];
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
  return { created: 0, published: 0, 'published-major': 0, unchanged: 0, restored: 0, proposed: 0, 'proposal-open': 0, retired: 0, 'retire-proposed': 0 };
}

/** Decide every asset of a sync and assemble its files. Throws InputError (new asset without owner) or PolicyError (not authorised). */
export function planSync(input: SyncInput): SyncPlan {
  const { config, actor, now } = input;
  const proposalId = input.proposalId ?? ((asset: string, version: string) => newProposalId(asset, version, now, actor));

  const unowned = input.assets.filter((a) => !a.owner && !input.state.get(a.id)?.history.asset).map((a) => a.id);
  if (unowned.length > 0) {
    const shown = unowned.slice(0, 3).join(', ') + (unowned.length > 3 ? ` and ${unowned.length - 3} more` : '');
    throw new InputError(`${unowned.length} new asset(s) have no owner in the manifest: ${shown}`, 'set meta.owner (or a group) in dbt, or pass --owner-default <team>');
  }

  const items: SyncItem[] = [];
  const mainFiles: FileWrite[] = [];
  const proposals: PlannedProposal[] = [];
  const findings: Finding[] = [];
  const consumersRegistered: Array<{ asset: string; team: string }> = [];
  const written = new Set<string>();
  /** Owner teams on whose behalf this run writes. */
  const actingFor = new Set<string>();

  // Teams: create every team the manifest names that the registry lacks.
  const teamsCreated: string[] = [];
  const ownerTeams = new Set(input.assets.map((a) => a.owner).filter((t): t is string => Boolean(t)));
  const sourceTeams = new Map(input.teams.map((t) => [t.name, t]));
  const referenced = new Set<string>();
  for (const a of input.assets) {
    if (a.owner) referenced.add(a.owner);
    for (const c of a.consumers) referenced.add(c);
  }
  for (const name of [...referenced].sort()) {
    if (input.existingTeams.has(name)) continue;
    const src = sourceTeams.get(name);
    const members = (src?.members ?? []).filter((m) => EMAIL.test(m));
    // The producer that creates an owner team by syncing becomes its member, so its next sync is authorised.
    if (ownerTeams.has(name)) members.push(actor);
    const decision = planTeamAdd(undefined, { name, members, ...(src?.contact ? { contact: src.contact } : {}) }, { config, actor, now });
    mainFiles.push(...decision.files);
    teamsCreated.push(name);
  }
  const createdTeams = new Set(teamsCreated);

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
    const consumerFiles: FileWrite[] = consumersAdded.map((team) => {
      const c: Consumer = { team, asset: a.id, purpose: `named in the dbt manifest (${a.uniqueId})`, registered_by: actor, registered_at: now, acks: [] };
      return { path: consumerPath(a.id, team), content: encodeYaml(consumerPath(a.id, team), consumerSchema, c) };
    });
    const allConsumers = [...registered, ...consumersAdded].sort();

    // Built only for a contract that differs: reading a.schema may load it (a plan from the cache keeps contracts on disk).
    const request = (): PublishRequest => ({
      asset: a.id,
      owner,
      schema: a.schema as JsonSchema,
      guarantees: a.guarantees,
      kind: a.kind,
      tags: a.tags,
      origin: { system: 'dbt', unique_id: a.uniqueId, ...(a.packageName ? { package: a.packageName } : {}) },
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

    // Fast path: nothing to diff when the contract is byte-for-byte the same.
    const same = current && !current.retired && (st?.sameContract === true || (latest && sameValue(latest.schema, a.schema) && sameValue(latest.guarantees, a.guarantees)));
    if (same) {
      item.version = current.current_version;
    } else {
      const decision = planPublish(request(), { ...history, consumers: history.consumers }, { config, actor, now });
      const changes = 'report' in decision ? [
        ...decision.report.changes.map((c) => ({ rule: c.rule, path: c.path, message: c.message, breaking: c.breaking })),
        ...decision.guarantees.map((g) => ({ rule: g.rule, path: `/guarantees/${g.guarantee}`, message: g.message, breaking: g.breaking })),
      ] : [];
      item.changes = changes;
      item.version = decision.version;
      if ('from' in decision) item.from = decision.from;
      if (decision.action === 'unchanged') {
        if (current?.retired) {
          // Back in the manifest after a retirement: the asset is live again.
          const { retired: _r, ...rest } = current;
          mainFiles.push({ path: assetPath(a.id), content: encodeYaml(assetPath(a.id), assetSchema, rest as Asset) });
          item.action = 'restored';
          written.add(a.id);
          actingFor.add(owner);
        }
      } else if (decision.action === 'created' || decision.action === 'published') {
        mainFiles.push(...decision.files);
        item.action = decision.action;
        written.add(a.id);
        actingFor.add(owner);
        untyped();
        if (decision.action === 'published') {
          for (const g of decision.guarantees) {
            if (g.severity === 'warning') findings.push({ severity: 'warning', rule: g.rule, asset: a.id, path: `/guarantees/${g.guarantee}`, message: `${g.message} (guarantee_mode notify: published, consumers are notified)` });
          }
        }
      } else {
        // Breaking.
        actingFor.add(owner);
        const breaking = changes.filter((c) => c.breaking);
        if (st?.open) {
          item.action = 'proposal-open';
          item.from = decision.from;
          findings.push({
            severity: 'warning',
            rule: 'PROPOSAL_ALREADY_OPEN',
            asset: a.id,
            message: `breaking change (${breaking.map((c) => c.rule).join(', ')}) not proposed again: proposal ${st.open.id} (${st.open.from_version} -> ${st.open.to_version}) is open; supersede it with tessera publish --supersede or withdraw it`,
          });
        } else if (allConsumers.length === 0 && !config.policy.proposal_without_consumers) {
          mainFiles.push(...filesWithVia(decision, 'no-consumers'));
          item.action = 'published-major';
          written.add(a.id);
          untyped();
          for (const c of breaking) findings.push({ severity: 'warning', rule: c.rule, asset: a.id, path: c.path, message: `${c.message} (breaking, but no team consumes this asset: published as ${decision.version})` });
        } else {
          const id = proposalId(a.id, decision.version);
          const { proposal, files } = planProposalFiles({ id, asset: current!, newVersion: decision.newVersion, consumers: allConsumers, author: actor, now, config, downstream: a.downstream });
          proposals.push({ asset: a.id, owner, proposal, files });
          item.action = 'proposed';
          item.proposal = { id, required_teams: proposal.required_teams, downstream: a.downstream, expires_at: proposal.expires_at, fingerprint: proposal.fingerprint };
          untyped();
          for (const c of breaking) findings.push({ severity: 'breaking', rule: c.rule, asset: a.id, path: c.path, message: `${c.message} (proposal ${id}: waiting for ${proposal.required_teams.join(', ')})` });
        }
      }
    }
    if (consumerFiles.length > 0) {
      mainFiles.push(...consumerFiles);
      for (const team of consumersAdded) consumersRegistered.push({ asset: a.id, team });
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
    const consumers = st.history.consumers.map((c) => c.team).sort();
    const item: SyncItem = { asset: current.id, action: 'retired', owner: current.owner, from: current.current_version, changes: [], consumersAdded: [] };
    actingFor.add(current.owner);
    const change: ChangeRecord = { rule: 'ASSET_RETIRED', path: '', message: `${current.id} is no longer in the dbt manifest (was ${current.origin?.unique_id ?? 'a dbt asset'})`, breaking: consumers.length > 0 };
    if (consumers.length === 0 && !config.policy.proposal_without_consumers) {
      mainFiles.push({ path: assetPath(current.id), content: encodeYaml(assetPath(current.id), assetSchema, { ...current, retired: true }) });
      written.add(current.id);
      item.version = current.current_version;
      item.changes = [change];
      findings.push({ severity: 'info', rule: 'ASSET_RETIRED', asset: current.id, message: `${change.message}; no consumers: marked retired` });
    } else if (st.open) {
      item.action = 'proposal-open';
      findings.push({ severity: 'warning', rule: 'PROPOSAL_ALREADY_OPEN', asset: current.id, message: `${change.message}; retirement not proposed: proposal ${st.open.id} (${st.open.from_version} -> ${st.open.to_version}) is open` });
    } else {
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
      const id = proposalId(current.id, version);
      const { proposal, files } = planProposalFiles({ id, asset: current, newVersion: retiring, consumers, author: actor, now, config, ...(current.downstream ? { downstream: current.downstream } : {}) });
      proposals.push({ asset: current.id, owner: current.owner, proposal, files });
      item.action = 'retire-proposed';
      item.version = version;
      item.changes = [change];
      item.proposal = { id, required_teams: proposal.required_teams, downstream: current.downstream ?? [], expires_at: proposal.expires_at, fingerprint: proposal.fingerprint };
      findings.push({ severity: 'breaking', rule: 'ASSET_RETIRED', asset: current.id, message: `${change.message}; proposal ${id} retires it once ${proposal.required_teams.join(', ')} acknowledge` });
    }
    items.push(item);
  }

  authorise(input, actingFor, createdTeams);

  const counts = emptyCounts();
  for (const i of items) counts[i.action]++;
  findings.sort((x, y) => SEVERITY_RANK[y.severity] - SEVERITY_RANK[x.severity] || (x.asset < y.asset ? -1 : x.asset > y.asset ? 1 : 0));
  return { items, mainFiles, proposals, teamsCreated, consumersRegistered, findings, assetsWritten: [...written].sort(), counts };
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
  if (!config.policy.membership_checks) return;
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
