/**
 * checkCompatibility: a candidate version against the history of a
 * contract, with the verdict, the semver bump it calls for and human hints.
 */
import type { Bump, Change, CompatibilityReport, DiffOptions, JsonSchema } from './types.js';
import { applyMode, judge, needsForward } from './engine.js';
import { isAnnotation } from './catalog.js';
import { canonical, isObject } from './json.js';

/**
 * major: breaks what the mode checks; minor: the new schema accepts more
 * (compatible backward, breaks forward) or changes meaning in a way the mode
 * does not check; patch: annotations only; none: no difference.
 * Under `none` the bump is what `backward` would say: the gate is off, the
 * semver advice is not.
 */
function bumpOf(changes: Change[], breaksChecked: boolean, breaksBackward: boolean, breaksForward: boolean, mode: DiffOptions['mode']): Bump {
  if (changes.length === 0) return 'none';
  if (breaksChecked || (mode === 'none' && breaksBackward)) return 'major';
  if (breaksForward || breaksBackward) return 'minor';
  return changes.every((c) => isAnnotation(c.rule)) ? 'patch' : 'minor';
}

const ANNOTATION_KEYS = new Set(['title', 'description', 'examples', '$comment', 'default']);

function shapeKey(v: unknown): string {
  if (!isObject(v)) return canonical(v);
  const stripped: Record<string, unknown> = {};
  for (const k of Object.keys(v)) if (!ANNOTATION_KEYS.has(k)) stripped[k] = v[k];
  return canonical(stripped);
}

/** "looks like a rename": one property gone and one added beside it with the same schema. */
function renameHints(changes: Change[]): string[] {
  const removed = new Map<string, Change[]>();
  const added = new Map<string, Change[]>();
  for (const c of changes) {
    const m = /^(.*)\/properties\/([^/]+)$/.exec(c.path);
    if (!m) continue;
    const parent = m[1]!;
    if (c.rule.includes('PROPERTY_REMOVED') && c.old !== undefined) (removed.get(parent) ?? removed.set(parent, []).get(parent)!).push(c);
    else if (c.rule.includes('PROPERTY_ADDED') && c.new !== undefined) (added.get(parent) ?? added.set(parent, []).get(parent)!).push(c);
  }
  const hints: string[] = [];
  for (const [parent, gone] of removed) {
    const candidates = added.get(parent);
    if (!candidates) continue;
    const used = new Set<Change>();
    for (const r of gone) {
      const key = shapeKey(r.old);
      const match = candidates.find((a) => !used.has(a) && shapeKey(a.new) === key);
      if (!match) continue;
      used.add(match);
      const from = decode(r.path);
      const to = decode(match.path);
      hints.push(`looks like a rename of ${from} to ${to}${parent === '' ? '' : ` (at ${parent})`}`);
    }
  }
  return hints;
}

function decode(path: string): string {
  const last = path.slice(path.lastIndexOf('/') + 1);
  return last.replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * Judge `next` against the history (oldest first). Non-transitive modes
 * look at the latest version only; *_transitive at every version, each
 * change carrying `against` (the index of the version it was found against).
 */
export function checkCompatibility(history: JsonSchema[], next: JsonSchema, opts: DiffOptions): CompatibilityReport {
  const mode = opts.mode;
  if (history.length === 0) return { mode, compatible: true, changes: [], bump: 'none', hints: [] };
  const latest = history.length - 1;
  const transitive = mode.endsWith('_transitive');
  const targets = transitive ? history.map((_, i) => i) : [latest];
  const changes: Change[] = [];
  let bump: Bump = 'none';
  let hints: string[] = [];
  for (const i of targets) {
    // The bump needs both directions against the latest version whatever the mode.
    const needForward = i === latest || needsForward(mode);
    const judged = judge(history[i]!, next, opts, needForward);
    const found = applyMode(judged.changes, mode);
    if (transitive) for (const c of found) c.against = i;
    if (i === latest) {
      bump = bumpOf(found, found.some((c) => c.breaking), judged.breaksBackward, judged.breaksForward, mode);
      if (opts.profile === 'tessera') hints = renameHints(found);
    }
    changes.push(...found);
  }
  const compatible = !changes.some((c) => c.breaking);
  if (!compatible) bump = 'major';
  return { mode, compatible, changes, bump, hints };
}
