/**
 * Avro compatibility under Confluent's modes. The verdict is avsc's resolver:
 * backward = the new schema reads data written with the old one (reader new,
 * writer old); forward = the old schema reads data written with the new one;
 * full = both; consumer (the table default) = forward, since a table's readers
 * are the old ones meeting new rows, and Avro readers select fields by name;
 * *_transitive = against every earlier version. The change list explains it.
 */
import type { Bump, Change, Check, CompatibilityReport, Mode } from '../diff/types.js';
import { unreadable } from './avsc.js';
import type { AvroContract } from './load.js';
import { walkAvro, type AvroChange } from './walk.js';
import { isAvroAnnotation } from './catalog.js';

type Direction = 'backward' | 'forward';

/** The directions a mode checks. */
export function avroDirections(mode: Mode): Direction[] {
  const base = mode.replace(/_transitive$/, '');
  if (base === 'backward') return ['backward'];
  if (base === 'forward' || base === 'consumer') return ['forward'];
  if (base === 'full') return ['backward', 'forward'];
  return [];
}

export interface AvroPairJudgement {
  changes: AvroChange[];
  /** avsc's answer per direction: undefined when it reads, else its reason. */
  refused: Record<Direction, string | undefined>;
}

/** One old -> new pair: the walk's changes and avsc's verdicts, unreconciled (tests compare the two). */
export function judgeAvroPair(old: AvroContract, next: AvroContract): AvroPairJudgement {
  return {
    changes: walkAvro(old.node, next.node),
    refused: { backward: unreadable(next.type, old.type), forward: unreadable(old.type, next.type) },
  };
}

const breaksIn = (c: AvroChange, d: Direction) => (d === 'backward' ? c.breaksBackward : c.breaksForward);

/**
 * avsc decides. Should the walk miss a reason avsc refuses for, the refusal is
 * reported with avsc's own words; should the walk see a break avsc does not,
 * that direction is dropped from the change. The conformance and vector tests
 * assert that neither ever happens on the cases we know.
 */
export function reconcile(j: AvroPairJudgement): AvroChange[] {
  const out = j.changes.map((c) => ({ ...c }));
  for (const d of ['backward', 'forward'] as const) {
    const reason = j.refused[d];
    if (reason === undefined) {
      for (const c of out) if (d === 'backward') c.breaksBackward = false; else c.breaksForward = false;
    } else if (!out.some((c) => breaksIn(c, d))) {
      const who = d === 'backward' ? 'the new schema cannot read data written with the old one' : 'the old schema cannot read data written with the new one';
      out.push({ rule: 'avro.unresolvable', path: '', message: `${who}: ${reason}`, breaksBackward: d === 'backward', breaksForward: d === 'forward' });
    }
  }
  return out;
}

function toChange(c: AvroChange, mode: Mode, checked: Direction[]): Change {
  const forwardName: Check = mode.startsWith('consumer') ? 'consumer' : 'forward';
  const breaks: Check[] = [];
  if (c.breaksBackward) breaks.push('backward');
  if (c.breaksForward) breaks.push(forwardName);
  const out: Change = {
    rule: c.rule,
    path: c.path,
    message: c.message,
    breaking: checked.some((d) => breaksIn(c, d)),
  };
  if (c.old !== undefined) out.old = c.old;
  if (c.new !== undefined) out.new = c.new;
  if (breaks.length > 0) out.breaks = breaks;
  return out;
}

/** "looks like a rename": a field gone and one added with the same type, and no alias between them. */
function renameHints(changes: AvroChange[], old: AvroContract, next: AvroContract): string[] {
  const topLevel = (c: AvroChange, rule: string) => c.rule.startsWith(rule) && c.path.lastIndexOf('/fields/') === 0;
  const gone = changes.filter((c) => topLevel(c, 'avro.field-removed'));
  const added = changes.filter((c) => topLevel(c, 'avro.field-added'));
  if (gone.length === 0 || added.length === 0) return [];
  const typeKeys = (root: AvroContract) => new Map(root.node.kind === 'record' ? root.node.fields.map((f) => [f.name, JSON.stringify(f.type.t.schema())] as const) : []);
  const oldTypes = typeKeys(old);
  const newTypes = typeKeys(next);
  const hints: string[] = [];
  const used = new Set<AvroChange>();
  for (const g of gone) {
    const key = oldTypes.get(String(g.old));
    const match = added.find((a) => !used.has(a) && newTypes.get(String(a.new)) === key);
    if (!match) continue;
    used.add(match);
    hints.push(`looks like a rename of ${String(g.old)} to ${String(match.new)}; add "aliases": ["${String(g.old)}"] to ${String(match.new)} so new readers find the old values`);
  }
  return hints;
}

/** As for JSON Schema: under `none` the gate is off but the semver advice is backward's. */
function bumpOf(changes: AvroChange[], breaking: boolean, mode: Mode): Bump {
  if (changes.length === 0) return 'none';
  if (breaking || (mode === 'none' && changes.some((c) => c.breaksBackward))) return 'major';
  if (changes.some((c) => c.breaksBackward || c.breaksForward)) return 'minor';
  return changes.every((c) => isAvroAnnotation(c.rule)) ? 'patch' : 'minor';
}

/** Judge `next` against the Avro history (oldest first), as checkCompatibility does for JSON Schema. */
export function checkAvroCompatibility(history: AvroContract[], next: AvroContract, mode: Mode): CompatibilityReport {
  if (history.length === 0) return { mode, compatible: true, changes: [], bump: 'none', hints: [] };
  const checked = avroDirections(mode);
  const latest = history.length - 1;
  const targets = mode.endsWith('_transitive') ? history.map((_, i) => i) : [latest];
  const changes: Change[] = [];
  let bump: Bump = 'none';
  let hints: string[] = [];
  for (const i of targets) {
    const found = reconcile(judgeAvroPair(history[i]!, next));
    const mine = found.map((c) => toChange(c, mode, checked));
    if (mode.endsWith('_transitive')) for (const c of mine) c.against = i;
    if (i === latest) {
      bump = bumpOf(found, mine.some((c) => c.breaking), mode);
      hints = renameHints(found, history[i]!, next);
    }
    changes.push(...mine);
  }
  const compatible = !changes.some((c) => c.breaking);
  return { mode, compatible, changes, bump: compatible ? bump : 'major', hints };
}
