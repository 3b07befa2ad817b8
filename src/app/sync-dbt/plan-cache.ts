/**
 * The dbt plan cache: the manifest -> plan translation of sync-dbt, kept by
 * the manifest's contract input (src/dbt/fingerprint.ts).
 *
 * Planning is a pure function of the contract input, --owner-default,
 * --select and the Tessera build, so its result can be reused whenever those
 * are the same: a CI run whose manifest differs from the last one only in its
 * metadata (generated_at, invocation_id) or in fields no reader looks at (its
 * SQL) skips JSON.parse and planning, which are two thirds of a no-change
 * sync. Unlike the no-change memo it does not
 * depend on the registry: the registry is still read in full and the sync
 * planned against it, so commits by others, proposals and retirements are
 * seen as always.
 *
 * An entry is keyed by the manifest's contract-input fingerprint (its SQL
 * and other fields planning never reads left out) and is two files under
 * `<registry git dir>/tessera/dbt-plans/`: `<key>.json`, the plan without its
 * contracts (validated on read), and `<key>.contracts`, one line per asset
 * holding `[schema, guarantees]` as JSON, the same text its contract digest
 * hashes. A sync compares digests with the registry's; only an asset whose
 * digest differs reads its contract, and that line is checked against the
 * digest when it is read. Computing the contract-input fingerprint walks the
 * whole file, so `<alias>.alias` files map the cheap content fingerprint of
 * manifests already seen to their entry: the same content again costs one
 * hash of the file.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { digestOfContractText } from '../../core/contract-digest.js';
import { RegistryError } from '../../core/errors.js';
import type { DbtAssetPlan, DbtPlan, DbtTeamPlan } from '../../dbt/index.js';
import type { Guarantee } from '../../core/model.js';
import type { SyncTotals } from './planning.js';

const FORMAT = 3;
const DIR = 'dbt-plans';
/** Entries kept, newest first by use: a 5,000-model plan takes ~20 MB. */
export const MAX_PLAN_ENTRIES = 4;
/** Aliases kept: one per manifest content seen (each a few bytes). */
export const MAX_PLAN_ALIASES = 32;

/** A manifest planned for sync-dbt: the dbt plan, its contract digests and what the report needs of it. */
export interface PlannedManifest {
  header: DbtPlan['manifest'];
  /** On a cache hit, `schema` and `guarantees` are read from the cache on first access. */
  assets: DbtAssetPlan[];
  /** contractDigest of each asset's schema and guarantees, in `assets` order. */
  digests: string[];
  teams: DbtTeamPlan[];
  warnings: string[];
  /** dbt packages of the manifest's nodes and sources. */
  packages: Set<string>;
  totals: SyncTotals;
}

/** The fields of DbtAssetPlan an index keeps (all but the contract). */
const cachedAssetSchema = z.object({
  id: z.string(),
  kind: z.enum(['model', 'seed', 'snapshot', 'source']),
  uniqueId: z.string(),
  packageName: z.string().optional(),
  name: z.string(),
  version: z.string().optional(),
  description: z.string().optional(),
  tags: z.array(z.string()),
  owner: z.string().optional(),
  consumers: z.array(z.string()),
  consumerFields: z.record(z.string(), z.array(z.string())).optional(),
  consumerScopes: z.record(z.string(), z.string()).optional(),
  downstream: z.array(z.string()),
  columns: z.object({ total: z.number(), typed: z.number(), untyped: z.array(z.string()) }),
  contractEnforced: z.boolean(),
  digest: z.string(),
});

const indexSchema = z.object({
  format: z.literal(FORMAT),
  key: z.string(),
  contractsBytes: z.number(),
  warnings: z.array(z.string()),
  teams: z.array(z.object({ name: z.string(), members: z.array(z.string()), contact: z.string().optional(), origin: z.string() })),
  packages: z.array(z.string()),
  totals: z.object({ assets: z.number(), columns: z.number(), typed_columns: z.number(), guarantees: z.number(), owners: z.number(), consumers: z.number(), teams: z.number() }),
  assets: z.array(cachedAssetSchema),
});

type CachedAsset = z.infer<typeof cachedAssetSchema>;

function dirOf(gitDir: string): string {
  return path.join(gitDir, 'tessera', DIR);
}

function filesOf(gitDir: string, key: string): { index: string; contracts: string } {
  const base = path.join(dirOf(gitDir), key);
  return { index: `${base}.json`, contracts: `${base}.contracts` };
}

const aliasSchema = z.object({ format: z.literal(FORMAT), key: z.string().regex(/^[0-9a-f]{64}$/) });

/** The entry key an alias names, if any. */
export function readAlias(gitDir: string, alias: string): string | undefined {
  try {
    const parsed = aliasSchema.safeParse(JSON.parse(readFileSync(path.join(dirOf(gitDir), `${alias}.alias`), 'utf8')));
    return parsed.success ? parsed.data.key : undefined;
  } catch {
    return undefined;
  }
}

/** Records that `alias` plans as the entry `key` (best effort). */
export function writeAlias(gitDir: string, alias: string, key: string): void {
  try {
    mkdirSync(dirOf(gitDir), { recursive: true });
    const file = path.join(dirOf(gitDir), `${alias}.alias`);
    writeFileSync(`${file}.${process.pid}.tmp`, JSON.stringify(aliasSchema.parse({ format: FORMAT, key })));
    renameSync(`${file}.${process.pid}.tmp`, file);
  } catch {
    // Read-only: the next run walks the manifest again.
  }
}

/** A cache key: a fingerprint of the manifest (its contract input for an entry, its content for an alias) and what else planning depends on. */
export function planCacheKey(content: string, build: string, ownerDefault: string | undefined, select: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify([FORMAT, build, content, ownerDefault ?? null, select])).digest('hex');
}

/** The plan cached under `key`, with `header` for this run; undefined when there is none or it is unreadable. */
export function loadPlan(gitDir: string, key: string, header: DbtPlan['manifest'], options: { touch?: boolean } = {}): PlannedManifest | undefined {
  const files = filesOf(gitDir, key);
  let index: z.infer<typeof indexSchema>;
  // Opened now: another sync pruning the entry later cannot take the contracts from under this one.
  let contractsFd: number | undefined;
  try {
    const parsed = indexSchema.safeParse(JSON.parse(readFileSync(files.index, 'utf8')));
    if (!parsed.success || parsed.data.key !== key) return undefined;
    index = parsed.data;
    contractsFd = openSync(files.contracts, 'r');
    if (fstatSync(contractsFd).size !== index.contractsBytes) {
      closeSync(contractsFd);
      return undefined;
    }
    // Newest by use, for pruning (not by a dry run, which changes nothing on disk).
    if (options.touch !== false) {
      const now = new Date();
      utimesSync(files.index, now, now);
    }
  } catch {
    if (contractsFd !== undefined) closeSync(contractsFd);
    return undefined;
  }
  const fd = contractsFd;
  let lines: string[] | undefined;
  const contractOf = (i: number, a: CachedAsset): [Record<string, unknown>, Guarantee[]] => {
    if (!lines) {
      lines = readFileSync(fd, 'utf8').split('\n');
      closeSync(fd);
    }
    const line = lines[i];
    if (line === undefined || digestOfContractText(line) !== a.digest) {
      rmSync(files.index, { force: true });
      throw new RegistryError(`the dbt plan cache entry ${files.index} is damaged (the contract of ${a.id} does not match its digest); it has been removed`, 'run the sync again');
    }
    return JSON.parse(line) as [Record<string, unknown>, Guarantee[]];
  };
  const assets = index.assets.map((a, i) => lazyContract(a, () => contractOf(i, a)));
  return {
    header,
    assets,
    digests: index.assets.map((a) => a.digest),
    teams: index.teams as DbtTeamPlan[],
    warnings: index.warnings,
    packages: new Set(index.packages),
    totals: index.totals,
  };
}

/** A cached asset whose `schema` and `guarantees` are parsed from its contract line when first read. */
function lazyContract(cached: CachedAsset, read: () => [Record<string, unknown>, Guarantee[]]): DbtAssetPlan {
  const { digest: _digest, ...fields } = cached;
  const asset = fields as DbtAssetPlan;
  const load = () => {
    const [schema, guarantees] = read();
    Object.defineProperty(asset, 'schema', { value: schema, enumerable: true, writable: true, configurable: true });
    Object.defineProperty(asset, 'guarantees', { value: guarantees, enumerable: true, writable: true, configurable: true });
  };
  for (const field of ['schema', 'guarantees'] as const) {
    Object.defineProperty(asset, field, {
      get() {
        load();
        return asset[field];
      },
      enumerable: true,
      configurable: true,
    });
  }
  return asset;
}

/**
 * Records a plan (best effort: a read-only registry just has no cache).
 * `texts` are the assets' contract texts (contractText), already built to
 * compute their digests.
 */
export function savePlan(gitDir: string, key: string, planned: PlannedManifest, texts: readonly string[]): void {
  const files = filesOf(gitDir, key);
  try {
    mkdirSync(dirOf(gitDir), { recursive: true });
    const tmp = `.${process.pid}.tmp`;
    // Contracts first: an index names a contracts file that is complete.
    const contractsBytes = writeLines(files.contracts + tmp, texts);
    renameSync(files.contracts + tmp, files.contracts);
    const assets: CachedAsset[] = planned.assets.map((a, i) => {
      const { schema: _s, guarantees: _g, ...fields } = a;
      return { ...fields, digest: planned.digests[i]! };
    });
    const index = { format: FORMAT, key, contractsBytes, warnings: planned.warnings, teams: planned.teams, packages: [...planned.packages].sort(), totals: planned.totals, assets };
    const checked = indexSchema.parse(index);
    writeFileSync(files.index + tmp, JSON.stringify(checked));
    renameSync(files.index + tmp, files.index);
    prune(gitDir, key);
  } catch {
    // Read-only or full disk: no cache entry.
  }
}

/** Writes the texts as lines, a batch at a time (one 20 MB string and its buffer would add to a first sync's peak memory); returns the bytes written. */
function writeLines(file: string, texts: readonly string[]): number {
  const fd = openSync(file, 'w');
  let bytes = 0;
  try {
    for (let i = 0; i < texts.length; i += 256) {
      const batch = texts.slice(i, i + 256).join('\n') + (i + 256 < texts.length ? '\n' : '');
      bytes += writeSync(fd, batch);
    }
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/** Keeps the MAX_PLAN_ENTRIES entries used last (and `keep`), and no contracts file without its index. */
function prune(gitDir: string, keep: string): void {
  const dir = dirOf(gitDir);
  const names = readdirSync(dir);
  const indexes = names
    .filter((n) => n.endsWith('.json'))
    .map((n) => ({ key: n.slice(0, -'.json'.length), at: statSync(path.join(dir, n)).mtimeMs }))
    .sort((a, b) => (a.key === keep ? -1 : b.key === keep ? 1 : b.at - a.at));
  const kept = new Set(indexes.slice(0, MAX_PLAN_ENTRIES).map((e) => e.key));
  const aliases = names
    .filter((n) => n.endsWith('.alias'))
    .map((n) => ({ n, at: statSync(path.join(dir, n)).mtimeMs }))
    .sort((a, b) => b.at - a.at)
    .slice(0, MAX_PLAN_ALIASES)
    .filter(({ n }) => kept.has(readAlias(gitDir, n.slice(0, -'.alias'.length)) ?? ''));
  const keptAliases = new Set(aliases.map(({ n }) => n));
  const stale = Date.now() - 10 * 60_000;
  for (const n of names) {
    const file = path.join(dir, n);
    // A .tmp file is another writer's work in progress, unless a crash left it long ago.
    const drop = n.endsWith('.tmp') ? statSync(file).mtimeMs < stale : n.endsWith('.alias') ? !keptAliases.has(n) : !kept.has(n.replace(/\.(json|contracts)$/, ''));
    if (drop) rmSync(file, { force: true });
  }
}
