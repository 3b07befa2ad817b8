/**
 * The manifest side of a sync: its fingerprint, then its plan, from the plan
 * cache when the same content was planned before, else parsed and planned
 * (and cached for next time).
 */
import { contractText, digestOfContractText } from '../../core/contract-digest.js';
import { manifestFingerprint, manifestHeader, readManifestMetadata, type DbtPlan } from '../../dbt/index.js';
import { manifestFromBytes, planManifest } from './manifest.js';
import { loadPlan, planCacheKey, readAlias, savePlan, writeAlias, type PlannedManifest } from './plan-cache.js';

/**
 * Where a sync's time goes (TESSERA_TIMINGS=1): the workflow names each phase
 * as it ends and the adapter decides what to do with it (the cli prints it on
 * stderr at that moment, so the lines keep their place among the progress lines).
 */
export type Phase = (label: string) => void;

/** What the manifest holds, as the report's header counts it. */
export interface SyncTotals {
  assets: number;
  columns: number;
  typed_columns: number;
  guarantees: number;
  owners: number;
  consumers: number;
  teams: number;
}

export interface ManifestInput {
  file: string;
  bytes: Buffer;
  ownerDefault: string | undefined;
  select: string[];
  /** The registry git dir that holds the plan cache; undefined: no cache. */
  cacheDir: string | undefined;
  /** Names the code that planned (memo.ts buildId): another build plans again. */
  build: string;
  /** Use the cache without adding to it (a dry run writes nothing). */
  readOnly?: boolean;
  phase?: Phase;
}

export interface ManifestSource {
  /** Content fingerprint (src/dbt/fingerprint.ts): the same for manifests that plan the same. */
  content: string;
  /** This run's report header, when the manifest starts with its metadata. */
  header: DbtPlan['manifest'] | undefined;
  /** The plan: cached, or parsed and planned on first call (InputError for a bad manifest). */
  plan(): PlannedManifest;
  /** Whether plan() answered from the cache. */
  readonly cached: boolean;
}

function totalsOf(assets: DbtPlan['assets'], teams: number): SyncTotals {
  const t: SyncTotals = { assets: assets.length, columns: 0, typed_columns: 0, guarantees: 0, owners: 0, consumers: 0, teams };
  for (const a of assets) {
    t.columns += a.columns.total;
    t.typed_columns += a.columns.typed;
    t.guarantees += a.guarantees.length;
    if (a.owner) t.owners++;
    t.consumers += a.consumers.length;
  }
  return t;
}

/** Parse and plan the manifest; the contract texts come back too, for the cache. */
function planInFull(input: ManifestInput, phase: Phase): { planned: PlannedManifest; texts: string[] } {
  const manifest = manifestFromBytes(input.file, input.bytes, phase);
  phase('manifest parsed');
  const { ownerDefault, select } = input;
  const plan = planManifest(input.file, manifest, { ...(ownerDefault !== undefined ? { ownerDefault } : {}), ...(select.length ? { select } : {}) });
  const packages = new Set<string>();
  for (const n of manifest.nodes.values()) if (n.package_name) packages.add(n.package_name);
  for (const n of manifest.sources.values()) if (n.package_name) packages.add(n.package_name);
  const texts = plan.assets.map((a) => contractText(a.schema, a.guarantees));
  const digests = texts.map(digestOfContractText);
  phase('manifest planned');
  const planned: PlannedManifest = { header: plan.manifest, assets: plan.assets, digests, teams: plan.teams, warnings: plan.warnings, packages, totals: totalsOf(plan.assets, plan.teams.length) };
  return { planned, texts };
}

function headerOf(metadata: Record<string, unknown> | undefined): DbtPlan['manifest'] | undefined {
  const m = metadata ? readManifestMetadata(metadata) : undefined;
  return m ? manifestHeader(m.schemaVersion, m.metadata) : undefined;
}

export function manifestSource(input: ManifestInput, useCache: boolean): ManifestSource {
  const phase = input.phase ?? (() => undefined);
  phase('start');
  // Hashing 50 MB costs ~30 ms: only when the memo or the plan cache asks.
  let fingerprint: { content: string; header: DbtPlan['manifest'] | undefined; contractInput: () => string | undefined } | undefined;
  const fingerprinted = () => {
    if (!fingerprint) {
      const f = manifestFingerprint(input.bytes);
      fingerprint = { content: f.content, header: headerOf(f.metadata), contractInput: f.contractInput };
      phase('manifest fingerprinted');
    }
    return fingerprint;
  };
  const keyOf = (content: string) => planCacheKey(content, input.build, input.ownerDefault, input.select);
  let planned: PlannedManifest | undefined;
  let cached = false;
  const fromCache = (dir: string, key: string, header: DbtPlan['manifest']): PlannedManifest | undefined => {
    planned = loadPlan(dir, key, header, { touch: !input.readOnly });
    cached = planned !== undefined;
    if (planned) phase('plan read from cache');
    return planned;
  };
  return {
    get content() {
      return fingerprinted().content;
    },
    get header() {
      return fingerprinted().header;
    },
    get cached() {
      return cached;
    },
    plan() {
      if (planned) return planned;
      const dir = useCache ? input.cacheDir : undefined;
      // Only a manifest whose header can be derived without parsing it can reuse a plan.
      const f = dir ? fingerprinted() : undefined;
      let alias: string | undefined;
      let key: string | undefined;
      if (dir && f?.header) {
        // The same content as a manifest seen before: its entry, without walking the file.
        alias = keyOf(f.content);
        const known = readAlias(dir, alias);
        if (known && fromCache(dir, known, f.header)) return planned!;
        // Else the same contract input (say, only SQL changed): walk the file for it.
        const contractInput = f.contractInput();
        phase('contract input fingerprinted');
        key = contractInput ? keyOf(contractInput) : undefined;
        if (key && fromCache(dir, key, f.header)) {
          if (!input.readOnly) writeAlias(dir, alias, key);
          return planned!;
        }
      }
      const full = planInFull(input, phase);
      planned = full.planned;
      // The header from the leading metadata must be the parsed one (a manifest could repeat "metadata").
      if (dir && key && alias && !input.readOnly && JSON.stringify(f?.header) === JSON.stringify(planned.header)) {
        savePlan(dir, key, planned, full.texts);
        writeAlias(dir, alias, key);
        phase('plan cached');
      }
      return planned;
    },
  };
}
