/**
 * diffSchemas: one list of changes, old -> new, judged under a mode.
 *
 * Backward is the primary question ("does new accept what old accepted?").
 * Forward is the same question with the pair swapped. Each forward finding
 * is attached to the old -> new change at the same location (adding a
 * column is one change that breaks forward); a forward finding with no
 * counterpart is reported on its own so nothing is lost.
 */
import type { Change, Check, DiffOptions, JsonSchema, Mode } from './types.js';
import { Ctx, type Emitted, type Env } from './context.js';
import { compareRaw } from './compare.js';
import { makeDoc, nodeOf } from './normalize.js';
import { SchemaTooComplexError } from '../errors.js';
import { breakingRules, isAnnotation, ruleById } from './catalog.js';
import { consumerVerdicts } from './consumer.js';

export type Direction = 'backward' | 'forward';

/** The checks a mode makes. */
export function checksOf(mode: Mode): Check[] {
  if (mode === 'none') return [];
  if (mode.startsWith('backward')) return ['backward'];
  if (mode.startsWith('forward')) return ['forward'];
  if (mode.startsWith('consumer')) return ['consumer'];
  return ['backward', 'forward'];
}

/** Whether a mode's checks need the swapped (new -> old) comparison. */
export function needsForward(mode: Mode): boolean {
  const checks = checksOf(mode);
  return checks.includes('forward') || checks.includes('consumer');
}

/** Raw differences of one direction: changes in `to` that stop it accepting what `from` accepted. */
export function compareDirection(from: JsonSchema, to: JsonSchema, opts: DiffOptions, memo: Map<object, unknown> = new Map()): Emitted[] {
  return measureDirection(from, to, opts, memo).changes;
}

/**
 * compareDirection with its cost: how many (old node, new node) pairs were
 * compared. `budget` overrides COMPARISON_BUDGET (tests use it to reach the
 * limit cheaply). Throws SchemaTooComplexError past the budget.
 */
export function measureDirection(from: JsonSchema, to: JsonSchema, opts: DiffOptions, memo: Map<object, unknown> = new Map(), budget?: number): { changes: Emitted[]; comparisons: number } {
  const env: Env = { opts, breaking: breakingRules(opts.policy), rawActive: new Map(), memo };
  if (budget !== undefined) env.budget = budget;
  const ctx = new Ctx(env);
  const a = makeDoc(from);
  const b = makeDoc(to);
  a.foldEvaluated = b.foldEvaluated = opts.profile === 'tessera';
  try {
    // Through compareRaw, so the root pair is on the cycle guard's stack like every other subschema.
    compareRaw(ctx, nodeOf(a, true), from, nodeOf(b, true), to, '');
  } catch (e) {
    // Each distinct pair under comparison is one level of the walk: a union of many mutually recursive
    // types can nest deeper than the stack before it reaches the budget. Same answer: too complex.
    if (e instanceof RangeError && /call stack/i.test(e.message)) throw new SchemaTooComplexError(0);
    throw e;
  }
  return { changes: ctx.changes, comparisons: env.comparisons ?? 0 };
}

function show(v: unknown): string {
  const text = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v);
  if (text === undefined) return String(v);
  return text.length > 60 ? text.slice(0, 57) + '...' : text;
}

/** One sentence: what changed and, for scalar values, from what to what. The path is not repeated: it is the change's own field. */
function message(e: Emitted, forwardOnly: boolean): string {
  const meaning = ruleById(e.rule)?.meaning ?? e.rule;
  let text = `${meaning[0]!.toUpperCase()}${meaning.slice(1)}`;
  const scalar = (v: unknown): boolean => v === undefined || v === null || typeof v !== 'object' || Array.isArray(v);
  if ((e.old !== undefined || e.new !== undefined) && scalar(e.old) && scalar(e.new)) {
    text += `: ${e.old === undefined ? '(none)' : show(e.old)} -> ${e.new === undefined ? '(none)' : show(e.new)}`;
  }
  if (forwardOnly) text = `Seen from the new schema back to the old one (forward): ${text[0]!.toLowerCase()}${text.slice(1)}`;
  return text + '.';
}

export interface Judged {
  changes: Change[];
  /** Whether any change breaks backward / forward, whatever the mode checks (for the bump). */
  breaksBackward: boolean;
  breaksForward: boolean;
}

interface Row {
  e: Emitted;
  backward: boolean;
  forward: boolean;
  forwardOnly: boolean;
}

/** Both directions, merged into old -> new changes, with per-direction verdicts. */
export function judge(oldSchema: JsonSchema, newSchema: JsonSchema, opts: DiffOptions, wantForward: boolean): Judged {
  const breaking = breakingRules(opts.policy);
  // Both directions read the same raw objects: what is read off them once is kept for the other.
  const memo = new Map<object, unknown>();
  const back = compareDirection(oldSchema, newSchema, opts, memo);
  const rows: Row[] = back.map((e) => ({ e, backward: breaking.has(e.rule), forward: false, forwardOnly: false }));
  if (wantForward) {
    const fwd = compareDirection(newSchema, oldSchema, opts, memo);
    const byPath = new Map<string, Row[]>();
    for (const r of rows) {
      const list = byPath.get(r.e.path);
      if (list) list.push(r);
      else byPath.set(r.e.path, [r]);
    }
    for (const f of fwd) {
      if (!breaking.has(f.rule)) continue;
      const here = (byPath.get(f.path) ?? []).filter((r) => !isAnnotation(r.e.rule));
      if (here.length > 0) for (const r of here) r.forward = true;
      else {
        // Report the finding in old -> new orientation: its old/new are swapped back.
        const e: Emitted = { rule: f.rule, path: f.path };
        if (f.new !== undefined) e.old = f.new;
        if (f.old !== undefined) e.new = f.old;
        const row: Row = { e, backward: false, forward: true, forwardOnly: true };
        rows.push(row);
        byPath.set(f.path, [row]);
      }
    }
  }
  // Only when the mode asks for it, and only with the forward verdicts computed (without them every row would read as compatible).
  const consumer = wantForward && checksOf(opts.mode).includes('consumer') ? consumerVerdicts(rows.map((r) => ({ rule: r.e.rule, path: r.e.path, forward: r.forward }))) : undefined;
  const changes: Change[] = rows.map((r, i) => {
    const c: Change = { rule: r.e.rule, path: r.e.path, message: message(r.e, r.forwardOnly), breaking: false };
    if (r.e.old !== undefined) c.old = r.e.old;
    if (r.e.new !== undefined) c.new = r.e.new;
    const breaks: Check[] = [];
    if (r.backward) breaks.push('backward');
    if (r.forward) breaks.push('forward');
    if (consumer?.[i]) breaks.push('consumer');
    c.breaks = breaks;
    return c;
  });
  return {
    changes,
    breaksBackward: rows.some((r) => r.backward),
    breaksForward: rows.some((r) => r.forward),
  };
}

/** Apply a mode to judged changes: `breaking` and `breaks` keep only the checks the mode makes. */
export function applyMode(changes: Change[], mode: Mode): Change[] {
  const checks = checksOf(mode);
  for (const c of changes) {
    c.breaks = (c.breaks ?? []).filter((d) => checks.includes(d));
    c.breaking = c.breaks.length > 0;
  }
  return changes;
}

/**
 * Every difference between the pair, each judged under opts.mode (and
 * opts.policy, opts.contentModel, opts.profile). Pure.
 */
export function diffSchemas(oldSchema: JsonSchema, newSchema: JsonSchema, opts: DiffOptions): Change[] {
  const { changes } = judge(oldSchema, newSchema, opts, needsForward(opts.mode));
  return applyMode(changes, opts.mode);
}
