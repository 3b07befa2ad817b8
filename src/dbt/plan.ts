/**
 * manifest.json -> a plan of contracts, teams and registrations. Pure and
 * deterministic: every map is walked in sorted key order, so planning the same
 * manifest twice gives byte-identical JSON. Linear in the manifest size: tests
 * are indexed by the asset they test once, never searched per asset.
 */
import type { Guarantee } from '../core/model.js';
import type { SyncSourceAsset } from '../core/sync.js';
import { InputError } from '../core/errors.js';
import type { DbtGroup, DbtManifest, DbtMetadata, DbtNode } from './manifest.js';
import { MAX_TESTED_MANIFEST_VERSION } from './manifest.js';
import { attachTest } from './attach.js';
import { constraintGuarantees, freshnessGuarantee, narrowsSchema, sortGuarantees, testGuarantee } from './guarantees.js';
import { assignAssetIds, type AssetCandidate, type DbtAssetKind } from './asset-ids.js';
import { exposureOwner, metaConsumers, nodeOwner, TeamBook } from './owners.js';
import { applyGuarantees, columnSchema } from './schema.js';
import { globMatcher } from './select.js';
import { teamSlug } from './ids.js';
import { entryFields, exposureFields, lineageReader, ScopeBook } from './scopes.js';

export type { DbtAssetKind } from './asset-ids.js';

/** A planned asset: what a sync needs of it (core's SyncSourceAsset, documented there) plus what only dbt knows. */
export interface DbtAssetPlan extends SyncSourceAsset {
  kind: DbtAssetKind;
  name: string;
  version?: string;
  contractEnforced: boolean;
}

export interface DbtTeamPlan {
  name: string;
  members: string[];
  contact?: string;
  /** Where the team was first named, e.g. "meta.owner of model.shop.orders". */
  origin: string;
}

export interface DbtPlan {
  manifest: { schemaVersion: number; dbtVersion?: string; projectName?: string; invocationId?: string; adapter?: string };
  assets: DbtAssetPlan[];
  teams: DbtTeamPlan[];
  warnings: string[];
}

export interface PlanOptions {
  /** Team that owns assets with no owner in the manifest. */
  ownerDefault?: string;
  /** Globs on asset id, unique_id or `package:name`; an asset matching any is planned. */
  select?: string[];
  /** Only assets of these dbt packages. */
  packages?: string[];
}

const NODE_KINDS: ReadonlySet<string> = new Set(['model', 'seed', 'snapshot']);
const SAMPLE = 3;

function sortedKeys<V>(m: ReadonlyMap<string, V>): string[] {
  return [...m.keys()].sort();
}

function sample(ids: readonly string[]): string {
  const head = ids.slice(0, SAMPLE).join(', ');
  return ids.length > SAMPLE ? `${head}, ... (+${ids.length - SAMPLE})` : head;
}

function kindOf(uid: string, node: DbtNode): string {
  return node.resource_type ?? uid.slice(0, Math.max(0, uid.indexOf('.')));
}

export function planFromManifest(manifest: DbtManifest, options: PlanOptions = {}): DbtPlan {
  const warnings: string[] = [];
  const adapter = manifest.metadata.adapter_type ?? undefined;
  if (manifest.schemaVersion > MAX_TESTED_MANIFEST_VERSION) {
    warnings.push(`manifest v${manifest.schemaVersion} is newer than the newest tested (v${MAX_TESTED_MANIFEST_VERSION}); read it the same way`);
  }

  let ownerDefault: string | undefined;
  if (options.ownerDefault !== undefined) {
    ownerDefault = teamSlug(options.ownerDefault);
    if (!ownerDefault) throw new InputError(`owner default "${options.ownerDefault}" is not a usable team name`, 'use a lower-case slug such as data-platform');
  }

  // 1. Asset candidates, in unique_id order.
  const candidates: AssetCandidate[] = [];
  const tests: Array<[string, DbtNode]> = [];
  for (const uid of sortedKeys(manifest.nodes)) {
    const node = manifest.nodes.get(uid);
    if (!node || node.config?.enabled === false) continue;
    const kind = kindOf(uid, node);
    if (NODE_KINDS.has(kind)) candidates.push({ uid, node, kind: kind as DbtAssetKind });
    else if (kind === 'test') tests.push([uid, node]);
  }
  for (const uid of sortedKeys(manifest.sources)) {
    const node = manifest.sources.get(uid);
    if (!node || node.config?.enabled === false) continue;
    candidates.push({ uid, node, kind: 'source' });
  }
  const ids = assignAssetIds(candidates, warnings);
  const assets = candidates.filter((c) => ids.has(c.uid));
  const assetNode = new Map(assets.map((c) => [c.uid, c.node] as const));

  // 2. Tests, indexed once by the asset they test.
  const testsByAsset = new Map<string, DbtNode[]>();
  const unattached: string[] = [];
  const ctx = { asset: (id: string) => assetNode.get(id) };
  for (const [uid, test] of tests) {
    const target = attachTest(test, ctx);
    if (!target) {
      unattached.push(uid);
      continue;
    }
    const list = testsByAsset.get(target);
    if (list) list.push(test);
    else testsByAsset.set(target, [test]);
  }
  if (unattached.length > 0) {
    warnings.push(`${unattached.length} test(s) test no planned asset and give no guarantee: ${sample(unattached)}`);
  }

  // 3. Owners, in unique_id order so a team's first origin is stable.
  const groups = new Map<string, DbtGroup>();
  for (const gid of sortedKeys(manifest.groups)) {
    const g = manifest.groups.get(gid);
    if (g?.name && !groups.has(g.name)) groups.set(g.name, g);
  }
  const teams = new TeamBook();
  const owners = new Map<string, string>();
  const rejectedOwners: string[] = [];
  for (const { uid, node } of assets) {
    const r = nodeOwner(node, groups);
    rejectedOwners.push(...r.rejected);
    if (r.owner) {
      owners.set(uid, r.owner.team);
      teams.add(r.owner);
    } else if (ownerDefault) {
      owners.set(uid, ownerDefault);
      teams.add({ team: ownerDefault, origin: 'owner default' });
    }
  }

  // 4. Consumers: meta.tessera.consumers, exposures, cross-owner refs.
  const consumers = new Map<string, Set<string>>();
  const scopes = new ScopeBook();
  const consume = (assetUid: string, team: string, fields: readonly string[] | undefined, why: string) => {
    const set = consumers.get(assetUid);
    if (set) set.add(team);
    else consumers.set(assetUid, new Set([team]));
    scopes.add(assetUid, team, fields, why);
  };
  for (const { uid, node } of assets) {
    const r = metaConsumers(node);
    rejectedOwners.push(...r.rejected);
    for (const [i, ref] of r.refs.entries()) {
      teams.add(ref);
      const fields = entryFields(r.entries[i]);
      consume(uid, ref.team, fields, fields ? `fields in meta.tessera.consumers of ${uid}` : `every field: meta.tessera.consumers of ${uid} names no fields`);
    }
  }
  const ownerlessExposures: string[] = [];
  for (const eid of sortedKeys(manifest.exposures)) {
    const exp = manifest.exposures.get(eid);
    if (!exp || exp.config?.enabled === false) continue;
    const deps = (exp.depends_on?.nodes ?? []).filter((d) => assetNode.has(d));
    if (deps.length === 0) continue;
    const ref = exposureOwner(exp);
    if (!ref) {
      ownerlessExposures.push(eid);
      continue;
    }
    teams.add({ ...ref, origin: `exposure ${eid}` });
    for (const d of deps) {
      const fields = exposureFields(exp.meta ?? exp.config?.meta, manifest.nodes.get(d)?.name ?? undefined) ?? exposureFields(exp.config?.meta, manifest.nodes.get(d)?.name ?? undefined);
      consume(d, ref.team, fields, fields ? `meta.tessera.fields of exposure ${eid}` : `every field: exposure ${eid} declares no meta.tessera.fields`);
    }
  }
  for (const { uid, node } of assets) {
    const childOwner = owners.get(uid);
    if (!childOwner) continue;
    const lineage = lineageReader(node, adapter);
    for (const parent of node.depends_on?.nodes ?? []) {
      const parentOwner = owners.get(parent);
      if (parentOwner && parentOwner !== childOwner && assetNode.has(parent)) {
        const upstream = assetNode.get(parent);
        const l = upstream ? lineage(upstream) : { why: `every field: ${uid} reads it` };
        consume(parent, childOwner, l.fields, l.why);
      }
    }
  }
  if (rejectedOwners.length > 0) {
    warnings.push(`${rejectedOwners.length} owner/consumer value(s) give no usable team name and were ignored: ${sample(rejectedOwners)}`);
  }
  if (ownerlessExposures.length > 0) {
    warnings.push(`${ownerlessExposures.length} exposure(s) have no owner, so register no consumer: ${sample(ownerlessExposures)}`);
  }

  // 5. Downstream: child_map when the manifest has it, else the reverse of depends_on.
  const reverse = new Map<string, string[]>();
  if (manifest.child_map.size === 0) {
    for (const { uid, node } of assets) {
      for (const p of node.depends_on?.nodes ?? []) {
        const list = reverse.get(p);
        if (list) list.push(uid);
        else reverse.set(p, [uid]);
      }
    }
  }
  const childrenOf = (uid: string) => manifest.child_map.get(uid) ?? reverse.get(uid) ?? [];

  // 6. The planned assets.
  const matcher = globMatcher(options.select);
  const packages = options.packages && options.packages.length > 0 ? new Set(options.packages) : undefined;
  const planned: DbtAssetPlan[] = [];
  const stats = { untyped: 0, untypedAssets: 0, unknown: new Map<string, number>(), ignoredConstraints: [] as string[], missing: 0, duplicates: 0 };
  for (const c of assets) {
    const id = ids.get(c.uid);
    if (id === undefined) continue;
    const name = c.node.name ?? c.uid;
    const pkg = c.node.package_name ?? undefined;
    if (packages && !(pkg && packages.has(pkg))) continue;
    if (matcher && !matcher([id, c.uid, `${pkg ?? ''}:${name}`])) continue;
    planned.push(buildAsset(c, id, { adapter, ids, owners, consumers, scopes, testsByAsset, childrenOf, stats }));
  }
  planned.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  if (stats.untyped > 0) {
    warnings.push(`${stats.untyped} column(s) on ${stats.untypedAssets} asset(s) have no data type; their properties accept any value`);
  }
  if (stats.unknown.size > 0) {
    const list = [...stats.unknown.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([t, n]) => `${t} (${n})`);
    warnings.push(`unknown column type(s) left unconstrained: ${list.join(', ')}`);
  }
  if (stats.ignoredConstraints.length > 0) {
    warnings.push(`constraints ignored on ${stats.ignoredConstraints.length} asset(s) whose contract is not enforced (dbt applies them only under contract.enforced): ${sample(stats.ignoredConstraints)}`);
  }
  if (stats.missing > 0) {
    warnings.push(`${stats.missing} guarantee(s) name a column or expression that is not a documented column of their asset; kept as guarantees, the schema is not narrowed`);
  }
  if (stats.duplicates > 0) {
    warnings.push(`${stats.duplicates} column(s) appear twice when names are compared without case; the first was kept`);
  }

  const referenced = new Set<string>();
  for (const a of planned) {
    if (a.owner) referenced.add(a.owner);
    for (const t of a.consumers) referenced.add(t);
  }

  return { manifest: manifestHeader(manifest.schemaVersion, manifest.metadata), assets: planned, teams: teams.list(referenced), warnings: [...warnings].sort() };
}

/**
 * The report header: the only part of a plan read from metadata fields other
 * than the schema version and adapter, which is what lets a plan be reused
 * for a manifest that differs from its source only in such fields
 * (src/dbt/fingerprint.ts).
 */
export function manifestHeader(schemaVersion: number, metadata: DbtMetadata): DbtPlan['manifest'] {
  const header: DbtPlan['manifest'] = { schemaVersion };
  if (metadata.dbt_version) header.dbtVersion = metadata.dbt_version;
  if (metadata.project_name) header.projectName = metadata.project_name;
  if (metadata.invocation_id) header.invocationId = metadata.invocation_id;
  if (metadata.adapter_type) header.adapter = metadata.adapter_type;
  return header;
}

interface BuildContext {
  adapter: string | undefined;
  ids: ReadonlyMap<string, string>;
  owners: ReadonlyMap<string, string>;
  consumers: ReadonlyMap<string, Set<string>>;
  scopes: ScopeBook;
  testsByAsset: ReadonlyMap<string, DbtNode[]>;
  childrenOf: (uid: string) => readonly string[];
  stats: { untyped: number; untypedAssets: number; unknown: Map<string, number>; ignoredConstraints: string[]; missing: number; duplicates: number };
}

function buildAsset(c: AssetCandidate, id: string, ctx: BuildContext): DbtAssetPlan {
  const { uid, node, kind } = c;
  const cs = columnSchema(node, ctx.adapter);
  const gs: Array<{ g: Guarantee; narrowing: boolean }> = [];
  for (const test of ctx.testsByAsset.get(uid) ?? []) {
    gs.push({ g: testGuarantee(test, relatedAsset(test, uid, ctx.ids)), narrowing: narrowsSchema(test) });
  }
  const enforced = (node.config?.contract?.enforced ?? node.contract?.enforced) === true;
  const modelConstraints = node.constraints ?? [];
  if (enforced) {
    for (const g of constraintGuarantees(modelConstraints, cs.columnConstraints)) gs.push({ g, narrowing: true });
    gs.push({ g: { kind: 'contract', source: 'contract' }, narrowing: false });
  } else if (modelConstraints.length > 0 || cs.columnConstraints.length > 0) {
    ctx.stats.ignoredConstraints.push(uid);
  }
  if (kind === 'source') {
    const f = freshnessGuarantee(node);
    if (f) gs.push({ g: f, narrowing: false });
  }
  const { required, missingColumns } = applyGuarantees(cs, gs);

  ctx.stats.missing += missingColumns.length;
  ctx.stats.duplicates += cs.duplicates.length;
  if (cs.untyped.length > 0) {
    ctx.stats.untyped += cs.untyped.length;
    ctx.stats.untypedAssets++;
  }
  for (const t of cs.unknownTypes) ctx.stats.unknown.set(t, (ctx.stats.unknown.get(t) ?? 0) + 1);

  const schema: Record<string, unknown> = { type: 'object', properties: Object.fromEntries(cs.properties) };
  if (required.length > 0) schema['required'] = required;

  const owner = ctx.owners.get(uid);
  const consumers = [...(ctx.consumers.get(uid) ?? [])].filter((t) => t !== owner).sort();
  // Children that are assets (child_map also lists tests and exposures).
  const children = new Set<string>();
  for (const child of ctx.childrenOf(uid)) {
    const childId = ctx.ids.get(child);
    if (childId !== undefined) children.add(childId);
  }
  const downstream = [...children].sort();
  const tags = [...new Set(node.tags ?? [])].sort();

  // Keys in the documented order, so serialised plans read the same way every time.
  const plan: DbtAssetPlan = { id, kind, uniqueId: uid } as DbtAssetPlan;
  if (node.package_name) plan.packageName = node.package_name;
  plan.name = node.name ?? uid;
  if (node.version !== undefined && node.version !== null) plan.version = String(node.version);
  if (node.description && node.description.trim()) plan.description = node.description;
  plan.tags = tags;
  if (owner) plan.owner = owner;
  plan.schema = schema;
  plan.guarantees = sortGuarantees(gs.map(({ g }) => g));
  plan.consumers = consumers;
  const scoped = ctx.scopes.of(uid);
  const consumerFields = Object.fromEntries(Object.entries(scoped.fields).filter(([t]) => consumers.includes(t)));
  if (Object.keys(consumerFields).length > 0) plan.consumerFields = consumerFields;
  const scopeWhy = Object.fromEntries(Object.entries(scoped.why).filter(([t]) => consumers.includes(t)));
  if (Object.keys(scopeWhy).length > 0) plan.consumerScopes = scopeWhy;
  plan.downstream = downstream;
  plan.columns = { total: cs.properties.size, typed: cs.typed, untyped: cs.untyped };
  plan.contractEnforced = enforced;
  return plan;
}

/** For a test with a `to` argument (relationships), the one other asset it depends on, as an asset id. */
function relatedAsset(test: DbtNode, attachedTo: string, ids: ReadonlyMap<string, string>): string | undefined {
  if (test.test_metadata?.kwargs?.['to'] === undefined) return undefined;
  const others = [...new Set(test.depends_on?.nodes ?? [])].filter((d) => d !== attachedTo && ids.has(d));
  return others.length === 1 && others[0] !== undefined ? ids.get(others[0]) : undefined;
}
