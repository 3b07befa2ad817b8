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
  /** Pairs currently being compared: recursion through $ref stops here. */
  active: Map<Node, Set<Node>>;
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
    let set = this.env.active.get(o);
    if (!set) this.env.active.set(o, (set = new Set()));
    if (set.has(u)) return false;
    set.add(u);
    return true;
  }

  leave(o: Node, u: Node): void {
    this.env.active.get(o)?.delete(u);
  }
}
