/**
 * Planning a publish: pure. Given the asset's current state and the new
 * contract, decide what happens (first version, compatible new version,
 * unchanged, breaking) and which files that writes.
 */
import { checkCompatibility } from './diff/index.js';
import type { CompatibilityReport, ContentModel, JsonSchema, Mode } from './diff/types.js';
import { checksOf } from './diff/engine.js';
import { diffGuarantees, type GuaranteeChange } from './guarantees.js';
import { encodeYaml } from './codec.js';
import { InputError, PolicyError } from './errors.js';
import { assetSchema, TABLE_KINDS, versionSchema, type Asset, type AssetKind, type ChangeRecord, type Consumer, type Guarantee, type GuaranteeMode, type RegistryConfig, type Version } from './model.js';
import { assetPath, checkVersion, versionPath } from './paths.js';
import { bumpAtLeast, bumpBetween, bumpVersion, compareSemver } from './semver.js';
import type { FileWrite } from './plan-types.js';
import { checkAvroHistory, isAvroPublish } from './avro/publish.js';

export interface PublishRequest {
  asset: string;
  owner?: string;
  schema: JsonSchema;
  /** An Avro contract: the Avro schema as given (`schema` is then its derived column view). */
  avro?: unknown;
  guarantees?: Guarantee[];
  mode?: Mode;
  contentModel?: ContentModel;
  version?: string;
  description?: string;
  kind?: AssetKind;
  tags?: string[];
  origin?: Asset['origin'];
  downstream?: string[];
  force?: { reason: string };
}

export interface AssetHistory {
  asset: Asset | undefined;
  /** Every published version, oldest first. */
  versions: Version[];
  consumers: Consumer[];
}

export interface PublishContext {
  config: RegistryConfig;
  actor: string;
  now: string;
}

export type PublishDecision =
  | { action: 'created'; asset: string; version: string; files: FileWrite[] }
  | { action: 'published'; asset: string; from: string; version: string; report: CompatibilityReport; guarantees: GuaranteeChange[]; changes: ChangeRecord[]; files: FileWrite[] }
  | { action: 'unchanged'; asset: string; version: string; report: CompatibilityReport; guarantees: GuaranteeChange[] }
  | {
      action: 'breaking';
      asset: string;
      from: string;
      version: string;
      report: CompatibilityReport;
      guarantees: GuaranteeChange[];
      consumers: string[];
      /** The files a forced publish (or a merged proposal) would write. */
      files: FileWrite[];
      newVersion: Version;
    };

/** The mode a new asset of this kind gets from tessera.yaml. */
export function defaultModeFor(config: RegistryConfig, kind: AssetKind): Mode {
  return TABLE_KINDS.includes(kind) ? config.defaults.table_compatibility_mode : config.defaults.compatibility_mode;
}

/**
 * An asset's mode: the one set on the asset, else the one its latest version
 * was judged under (so changing tessera.yaml's defaults never silently
 * re-judges existing contracts; `tessera set-mode` does it on purpose), else
 * the default for a new asset of its kind.
 */
export function effectiveMode(config: RegistryConfig, asset: Asset | undefined, latest?: Version, req?: PublishRequest): Mode {
  return asset?.compatibility_mode ?? latest?.compatibility_mode ?? req?.mode ?? defaultModeFor(config, asset?.kind ?? req?.kind ?? 'table');
}

/**
 * How removed or weakened guarantees count. Unset everywhere: breaking under
 * the consumer mode (its readers rely on not_null, unique, accepted values),
 * a warning under the others.
 */
export function effectiveGuaranteeMode(config: RegistryConfig, asset: Asset | undefined, mode: Mode): GuaranteeMode {
  return asset?.guarantee_mode ?? config.defaults.guarantee_mode ?? (checksOf(mode).includes('consumer') ? 'strict' : 'notify');
}

export function effectiveContentModel(config: RegistryConfig, asset: Asset | undefined, req?: PublishRequest): ContentModel {
  return req?.contentModel ?? asset?.content_model ?? config.defaults.content_model;
}

function stable(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : val,
  );
}

/**
 * The change list of a new version: the diff's and the guarantee rules'
 * findings, and never empty. A guarantee can change in a detail no guarantee
 * rule judges (a relationships target, freshness thresholds, the test that
 * backs it, or anything under guarantee_mode ignore) and a schema in a
 * keyword no diff rule reads; the version still says what moved, so a bump
 * never comes with an empty list.
 */
export function publishedChanges(report: CompatibilityReport, gChanges: readonly GuaranteeChange[], same: { schemaSame: boolean; guaranteesSame: boolean }): ChangeRecord[] {
  const changes: ChangeRecord[] = [
    ...report.changes.map((c) => ({ rule: c.rule, path: c.path, message: c.message, breaking: c.breaking })),
    ...gChanges.map((g) => ({ rule: g.rule, path: `/guarantees/${g.guarantee}`, message: g.message, breaking: g.breaking })),
  ];
  if (!same.guaranteesSame && gChanges.length === 0) {
    changes.push({ rule: 'GUARANTEES_CHANGED', path: '/guarantees', message: 'guarantee details changed (configuration, target, severity or the test behind one); none was added, removed or weakened', breaking: false });
  }
  if (changes.length === 0 && !same.schemaSame) {
    changes.push({ rule: 'SCHEMA_CHANGED', path: '', message: 'the schema changed in a way no diff rule judges', breaking: false });
  }
  return changes;
}

export function planPublish(req: PublishRequest, state: AssetHistory, ctx: PublishContext): PublishDecision {
  const { config } = ctx;
  const current = state.asset;
  if (req.version !== undefined) checkVersion(req.version);
  if (current && req.owner && req.owner !== current.owner) {
    throw new PolicyError(`asset '${req.asset}' is owned by team '${current.owner}', not '${req.owner}'`, `publish as --owner ${current.owner}`);
  }
  const owner = current?.owner ?? req.owner;
  if (!owner) throw new InputError(`asset '${req.asset}' is new and needs an owner`, 'pass --owner <team>');

  const mode = req.mode ?? effectiveMode(config, current, state.versions[state.versions.length - 1], req);
  const contentModel = effectiveContentModel(config, current, req);
  const guarantees = req.guarantees ?? [];

  const assetFile = (version: string): FileWrite => {
    const next: Asset = {
      ...(current ?? { id: req.asset, owner, kind: req.kind ?? 'table', tags: [] }),
      id: req.asset,
      owner,
      current_version: version,
    } as Asset;
    if (req.kind) next.kind = req.kind;
    if (req.description !== undefined) next.description = req.description;
    if (req.tags) next.tags = req.tags;
    if (req.origin) next.origin = req.origin;
    if (req.downstream) next.downstream = req.downstream;
    if (req.mode) next.compatibility_mode = req.mode;
    if (req.contentModel) next.content_model = req.contentModel;
    delete next.retired;
    return { path: assetPath(req.asset), content: encodeYaml(assetPath(req.asset), assetSchema, next) };
  };

  const versionFile = (v: Version): FileWrite => ({ path: versionPath(req.asset, v.version), content: encodeYaml(versionPath(req.asset, v.version), versionSchema, v) });

  const base = {
    asset: req.asset,
    schema: req.schema,
    guarantees,
    compatibility_mode: mode,
    content_model: contentModel,
    published_by: ctx.actor,
    published_at: ctx.now,
    ...(req.avro !== undefined ? { format: 'avro' as const, avro: req.avro } : {}),
  };

  if (!current || state.versions.length === 0) {
    const version = req.version ?? '1.0.0';
    const v: Version = versionSchema.parse({ ...base, version, changes: [], via: 'direct' });
    return { action: 'created', asset: req.asset, version, files: [assetFile(version), versionFile(v)] };
  }

  const latest = state.versions[state.versions.length - 1]!;
  const report = isAvroPublish(req, state.versions)
    ? checkAvroHistory(req.asset, state.versions, req.avro, mode)
    : checkCompatibility(
        state.versions.map((v) => v.schema as JsonSchema),
        req.schema,
        { mode, contentModel, policy: 'strict', profile: 'tessera' },
      );
  const guaranteeMode = effectiveGuaranteeMode(config, current, mode);
  const gChanges = diffGuarantees(latest.guarantees, guarantees, guaranteeMode);
  const guaranteesBreak = gChanges.some((g) => g.breaking);
  const breaking = !report.compatible || guaranteesBreak;

  const schemaSame = stable(latest.schema) === stable(req.schema) && stable(latest.avro) === stable(req.avro);
  const guaranteesSame = stable(latest.guarantees) === stable(guarantees);
  const metaSame = (req.description === undefined || req.description === current.description) && (!req.mode || req.mode === current.compatibility_mode);
  if (schemaSame && guaranteesSame && report.changes.length === 0) {
    if (metaSame || req.version === undefined) return { action: 'unchanged', asset: req.asset, version: latest.version, report, guarantees: gChanges };
  }

  let bump = breaking ? 'major' : report.bump;
  if (bump === 'none') bump = gChanges.length > 0 ? 'minor' : 'patch';
  let version = bumpVersion(latest.version, bump);
  if (req.version !== undefined) {
    if (compareSemver(req.version, latest.version) <= 0) {
      throw new InputError(`version ${req.version} is not greater than the current ${latest.version}`, `omit --version to get ${version}`);
    }
    const given = bumpBetween(latest.version, req.version)!;
    if (!bumpAtLeast(given, bump)) {
      throw new InputError(
        `version ${req.version} is a ${given} bump but this change needs at least a ${bump} bump`,
        `use --version ${version} or omit --version`,
      );
    }
    version = req.version;
  }

  const changes = publishedChanges(report, gChanges, { schemaSame, guaranteesSame });
  const newVersion: Version = versionSchema.parse({ ...base, version, previous_version: latest.version, changes, via: 'direct' });

  if (!breaking) {
    return { action: 'published', asset: req.asset, from: latest.version, version, report, guarantees: gChanges, changes, files: [assetFile(version), versionFile(newVersion)] };
  }
  return {
    action: 'breaking',
    asset: req.asset,
    from: latest.version,
    version,
    report,
    guarantees: gChanges,
    consumers: state.consumers.map((c) => c.team).sort(),
    files: [assetFile(version), versionFile(newVersion)],
    newVersion,
  };
}

/** Rewrite a breaking decision's version file as forced, with the reason and the teams that had not answered. */
export function forcedFiles(decision: Extract<PublishDecision, { action: 'breaking' }>, reason: string, missingTeams: string[], proposal?: string): FileWrite[] {
  const v: Version = { ...decision.newVersion, via: 'forced', forced: { reason, missing_teams: missingTeams } };
  if (proposal) v.proposal = proposal;
  const path = versionPath(decision.asset, v.version);
  return decision.files.map((f) => (f.path === path ? { path, content: encodeYaml(path, versionSchema, v) } : f));
}

/** The version files with `via` set (proposal merge, or no consumers to ask). */
export function filesWithVia(decision: Extract<PublishDecision, { action: 'breaking' }>, via: Version['via'], proposal?: string): FileWrite[] {
  const v: Version = { ...decision.newVersion, via };
  if (proposal) v.proposal = proposal;
  const path = versionPath(decision.asset, v.version);
  return decision.files.map((f) => (f.path === path ? { path, content: encodeYaml(path, versionSchema, v) } : f));
}
