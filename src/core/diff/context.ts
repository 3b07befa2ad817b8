/**
 * The state of one directional comparison (old -> new, judged as
 * "does new accept what old accepted"). A sub-context collects the changes
 * of a tentative comparison (a combinator branch, a pattern-covered
 * property) so the caller can ask "was that compatible?" before keeping them.
 */
import type { DiffOptions } from './types.js';
import type { Node } from './normalize.js';
import { SchemaTooComplexError } from '../errors.js';

export interface Emitted {
  rule: string;
  path: string;
  old?: unknown;
  new?: unknown;
  /**
   * Where the change was first found: the memoised pair that emitted it and
   * the path inside that pair. Lets a recursive schema report a change once
   * instead of once per route to it (see PairResult.cyclic).
   */
  origin?: string;
  /** Found through a memoised pair whose comparison met a cycle (see Ctx.push). */
  cyclic?: boolean;
}

/** The changes of one (old node, new node) comparison, paths relative to the pair. */
export interface PairResult {
  changes: Array<{ rule: string; rel: string; old?: unknown; new?: unknown; origin: string; cyclic?: boolean }>;
  /**
   * The comparison met a pair still being compared above it (a cycle, cut
   * with "no difference"). Such a result is replayed with duplicates
   * dropped: on a recursive schema the routes to one change multiply with
   * every type, the changes do not.
   */
  cyclic: boolean;
}

/**
 * How many (old node, new node) comparisons one direction may ask for,
 * memoised ones included (replaying a result is work too). Identical columns
 * are skipped before they count, so a 2,000-column table with a few changes
 * asks for a few dozen; the 12-type recursive union (every field a oneOf of
 * all twelve) with one field changed asks for about 42,000. Past the budget
 * (some seconds of work) the input is pathological and we refuse rather
 * than hang.
 */
export const COMPARISON_BUDGET = 500_000;

/** Marks a pair whose comparison is under way (on the walk's stack). */
export const ACTIVE: unique symbol = Symbol('active');

export interface Env {
  opts: DiffOptions;
  /** Rule ids that break backward under opts.policy. */
  breaking: ReadonlySet<string>;
  /** Raw (old, new) subschema pairs on the walk's stack: old object -> its new partner(s). */
  rawActive: Map<object, unknown>;
  /**
   * Facts read off a raw schema object (object.ts: property names, required
   * set...), shared by the two directions of one judgement so a 2,000-column
   * object is listed once, not once per direction. Lives only as long as one
   * judgement: the caller may change its schemas between calls.
   */
  memo: Map<object, unknown>;
  /** Results of the pairs compared so far in this direction (or ACTIVE while under way), by pairKey. */
  pairs?: Map<string, PairResult | typeof ACTIVE>;
  /** Pair comparisons run so far (memo misses): bounded by `budget`. */
  comparisons?: number;
  /** Defaults to COMPARISON_BUDGET; tests lower it. */
  budget?: number;
  /** Set when a cycle was cut; compare() reads and resets it around each pair. */
  cut?: boolean;
}

export class Ctx {
  readonly changes: Emitted[] = [];
  /** Origins of the cyclic changes already in `changes`, built on the first one. */
  private origins: Set<string> | undefined;
  constructor(readonly env: Env) {}

  get tessera(): boolean {
    return this.env.opts.profile === 'tessera';
  }

  sub(): Ctx {
    return new Ctx(this.env);
  }

  /** Counts one pair comparison against the budget. */
  count(): void {
    const env = this.env;
    env.comparisons = (env.comparisons ?? 0) + 1;
    const budget = env.budget ?? COMPARISON_BUDGET;
    if (env.comparisons > budget) throw new SchemaTooComplexError(budget);
  }

  /** A memoised pair's changes, re-based at `path`. */
  replay(r: PairResult, path: string): void {
    for (const c of r.changes) {
      const e: Emitted = { rule: c.rule, path: path + c.rel, origin: c.origin };
      if (c.old !== undefined) e.old = c.old;
      if (c.new !== undefined) e.new = c.new;
      if (r.cyclic || c.cyclic) e.cyclic = true;
      this.push(e);
    }
  }

  /**
   * A change found through a cycle is kept once per origin: on a recursive
   * schema the routes to one change multiply with every type, the changes do
   * not. Other changes are kept as found (a shared definition used by two
   * columns is reported under each).
   */
  private push(e: Emitted): void {
    if (e.cyclic) {
      let seen = this.origins;
      if (!seen) {
        seen = new Set();
        for (const c of this.changes) if (c.cyclic) seen.add(c.origin!);
        this.origins = seen;
      }
      if (seen.has(e.origin!)) return;
      seen.add(e.origin!);
    }
    this.changes.push(e);
  }

  add(rule: string, path: string, oldValue?: unknown, newValue?: unknown): void {
    const e: Emitted = { rule, path };
    if (oldValue !== undefined) e.old = oldValue;
    if (newValue !== undefined) e.new = newValue;
    this.changes.push(e);
  }

  addAll(other: Ctx): void {
    for (const c of other.changes) this.push(c);
  }

  compatible(): boolean {
    for (const c of this.changes) if (this.env.breaking.has(c.rule)) return false;
    return true;
  }
}
