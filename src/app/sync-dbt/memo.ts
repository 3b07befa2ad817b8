/**
 * The no-change memo of sync-dbt: a cache of one pure function's result.
 *
 * A sync's outcome is a function of the manifest's content (its bytes less
 * the metadata planning does not read; the report header is re-derived from
 * each run's metadata), the registry's main commit (config, teams, every
 * contract), its open proposal branches and ack refs, the actor (authorisation) and the
 * options that shape planning (--owner-default, --select), for a given
 * Tessera version. When a sync computes "nothing to write" from those, it
 * records them with the report in `<gitDir>/tessera/sync-dbt-memo.json`. A
 * later sync whose inputs are all identical prints that report again without
 * parsing or planning; anything different (a byte of the manifest outside
 * that metadata, main moved, a proposal opened or closed, another identity or
 * option, another version) is a miss and plans in full. `--no-memo` or
 * TESSERA_SYNC_MEMO=0 turns it off.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RegistryLocation } from '../../registry/locate.js';
import type { Repository } from '../../registry/repository.js';
import { ACK_REF_PREFIX, PROPOSAL_BRANCH_PREFIX } from '../../core/proposal.js';
import type { SyncPlan } from '../../core/sync.js';
import type { DbtPlan } from '../../dbt/index.js';
import type { SyncTotals } from './planning.js';

const FILE = 'sync-dbt-memo.json';
const FORMAT = 1;
/** Records kept (one per manifest + options): a registry synced from a few projects keeps each one's. */
const MAX_RECORDS = 16;

/** What must be equal, beyond the registry's state, for a record to apply. */
export interface MemoBase {
  tessera: string;
  /** The manifest's content fingerprint (src/dbt/fingerprint.ts): its bytes, less the metadata planning does not read. */
  manifest: string;
  ownerDefault: string | null;
  select: string[];
  /**
   * metadata.project_name: the content fingerprint leaves metadata out, and
   * assets record (and retirement is scoped by) the project that synced them.
   */
  project: string | null;
  /** --pull-request: which open proposals are the run's own. */
  pullRequest: string | null;
}

/** The registry state a no-change result was computed from. */
export interface MemoState {
  main: string | null;
  /** sha256 of the open proposal branches and the ack refs, with their heads: an ack can turn a waiting change green. */
  proposals: string;
  actor: string;
}

/** The parts of a report that do not depend on how this run was invoked (file name, --dry-run, --fail-on, format). */
export interface MemoResult {
  manifest: DbtPlan['manifest'];
  totals: SyncTotals;
  warnings: string[];
  plan: SyncPlan;
}

interface MemoRecord extends MemoState {
  base: string;
  result: MemoResult;
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * The version string alone would keep a memo across a rebuild from a
 * checkout; the installed code file's size and mtime change with every build
 * (tsc and the bundler rewrite every file), so any new build plans in full.
 */
export function buildId(): string {
  try {
    const st = statSync(fileURLToPath(import.meta.url));
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return 'unknown';
  }
}

function baseKey(base: MemoBase): string {
  return sha256(JSON.stringify([FORMAT, base.tessera, buildId(), base.manifest, base.ownerDefault, base.select, base.project, base.pullRequest]));
}

/** The git dir a location will open, when that is known without spawning git or creating anything. */
export function gitDirOf(location: RegistryLocation): string | undefined {
  const dir = location.kind === 'path' ? path.resolve(location.path) : location.cacheDir;
  if (existsSync(path.join(dir, 'HEAD')) && existsSync(path.join(dir, 'objects'))) return dir;
  const dotGit = path.join(dir, '.git');
  return existsSync(path.join(dotGit, 'HEAD')) ? dotGit : undefined;
}

function memoFile(gitDir: string): string {
  return path.join(gitDir, 'tessera', FILE);
}

function readRecords(gitDir: string): MemoRecord[] {
  try {
    const data = JSON.parse(readFileSync(memoFile(gitDir), 'utf8')) as { format?: unknown; records?: unknown };
    return data.format === FORMAT && Array.isArray(data.records) ? (data.records as MemoRecord[]) : [];
  } catch {
    return [];
  }
}

/** A record for this manifest and these options, if any: still to be checked against the registry's state (memoState). */
export interface MemoCandidate {
  gitDir: string;
  record: MemoRecord;
}

export function findMemo(gitDir: string | undefined, base: MemoBase): MemoCandidate | undefined {
  if (!gitDir) return undefined;
  const key = baseKey(base);
  const record = readRecords(gitDir).find((r) => r.base === key);
  return record ? { gitDir, record } : undefined;
}

/** The registry's state as the memo keys it: main's commit, the open proposal branches, the actor. */
export async function memoState(repo: Repository, main: string | undefined, actor: string): Promise<MemoState> {
  const [branches, acks] = await Promise.all([repo.refs(PROPOSAL_BRANCH_PREFIX), repo.refs(ACK_REF_PREFIX)]);
  const listing = [...branches, ...acks].map(([ref, oid]) => `${oid} ${ref}`).sort().join('\n');
  return { main: main ?? null, proposals: sha256(listing), actor };
}

export function sameState(a: MemoState, b: MemoState): boolean {
  return a.main === b.main && a.proposals === b.proposals && a.actor === b.actor;
}

/** Record a no-change result (best effort: a read-only registry just has no memo). */
export function writeMemo(gitDir: string, base: MemoBase, state: MemoState, result: MemoResult): void {
  const key = baseKey(base);
  const plan = result.plan;
  // Only what the renderers read: unchanged items without registrations are counted, never listed.
  const kept: SyncPlan = { ...plan, items: plan.items.filter((i) => i.action !== 'unchanged' || i.consumersAdded.length > 0) };
  const record: MemoRecord = { base: key, ...state, result: { ...result, plan: kept } };
  const records = [record, ...readRecords(gitDir).filter((r) => r.base !== key)].slice(0, MAX_RECORDS);
  const file = memoFile(gitDir);
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ format: FORMAT, records }));
    renameSync(tmp, file);
  } catch {
    // Read-only registry: no memo.
  }
}
