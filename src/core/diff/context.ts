/**
 * The state of one directional comparison (old -> new, judged as
 * "does new accept what old accepted"). A sub-context collects the changes
 * of a tentative comparison (a combinator branch, a pattern-covered
 * property) so the caller can ask "was that compatible?" before keeping them.
 */
import type { DiffOptions } from './types.js';
import type { Node } from './normalize.js';

export interface Emitted {
  rule: string;
  path: string;
  old?: unknown;
  new?: unknown;
}

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
}

export class Ctx {
  readonly changes: Emitted[] = [];
  constructor(readonly env: Env) {}

  get tessera(): boolean {
    return this.env.opts.profile === 'tessera';
  }

  sub(): Ctx {
    return new Ctx(this.env);
  }

  add(rule: string, path: string, oldValue?: unknown, newValue?: unknown): void {
    const e: Emitted = { rule, path };
    if (oldValue !== undefined) e.old = oldValue;
    if (newValue !== undefined) e.new = newValue;
    this.changes.push(e);
  }

  addAll(other: Ctx): void {
    for (const c of other.changes) this.changes.push(c);
  }

  compatible(): boolean {
    for (const c of this.changes) if (this.env.breaking.has(c.rule)) return false;
    return true;
  }

  /** Returns false when (o, u) is already being compared further up: a recursive schema. */
  enter(o: Node, u: Node): boolean {
    // Almost always a node is compared with one partner at a time: no array until a second one.
    const active = o.active;
    if (active === undefined) {
      o.active = u;
      return true;
    }
    if (active === u) return false;
    if (!Array.isArray(active)) {
      o.active = [active, u];
      return true;
    }
    if (active.includes(u)) return false;
    active.push(u);
    return true;
  }

  leave(o: Node, u: Node): void {
    const active = o.active;
    if (!Array.isArray(active)) {
      o.active = undefined;
      return;
    }
    active.splice(active.lastIndexOf(u), 1);
    if (active.length === 1) o.active = active[0];
  }
}
