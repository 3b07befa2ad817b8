/**
 * A structural walk over two Avro schemas that mirrors the specification's
 * resolution rules, to name each difference and say which direction it breaks:
 * backward (the new schema reads data written with the old one) or forward
 * (the old schema reads data written with the new one). Whether a whole
 * schema resolves is avsc's answer (./check.ts); this walk explains it, and
 * asks avsc itself wherever the question is "can this type read that one"
 * (promotions, union branches).
 */
import { unreadable } from './avsc.js';
import { branchName, describe, type AvroField, type AvroNode } from './node.js';

export interface AvroChange {
  rule: string;
  /** Where: /fields/<name> for a field (nested: /fields/a/fields/b), /<branch> for a union branch, /symbols/<S>. */
  path: string;
  message: string;
  old?: unknown;
  new?: unknown;
  breaksBackward: boolean;
  breaksForward: boolean;
}

/**
 * Between two primitives the answer depends on the type names alone; remembering it spares avsc
 * building (and throwing) a refusal per column of a wide record.
 */
const primitiveReads = new Map<string, boolean>();

function canRead(reader: AvroNode, writer: AvroNode): boolean {
  if (reader.kind !== 'primitive' || writer.kind !== 'primitive') return unreadable(reader.t, writer.t) === undefined;
  const key = `${reader.type}<${writer.type}`;
  let known = primitiveReads.get(key);
  if (known === undefined) primitiveReads.set(key, (known = unreadable(reader.t, writer.t) === undefined));
  return known;
}

/** The top-level field a path lies in ('' at the record itself): `/fields/a/...` -> a. */
const topField = (path: string): string => path.split('/')[2] ?? '';

class Walk {
  readonly out: AvroChange[] = [];
  /**
   * Pairs compared, per top-level field. A recursive record meets itself
   * again and stops there; a named type shared by two top-level fields is
   * compared under each, so its changes name every column they touch (scoped
   * acknowledgments read the column from the path alone).
   */
  private readonly visited = new Map<string, Map<AvroNode, Set<AvroNode>>>();
  /** Pairs whose whole comparison found nothing, with no pair skipped inside it: nothing to find anywhere else either. */
  private readonly quiet = new Map<AvroNode, Set<AvroNode>>();
  private skipped = 0;

  add(rule: string, path: string, message: string, breaks: { backward?: boolean; forward?: boolean }, values: { old?: unknown; new?: unknown } = {}): void {
    this.out.push({ rule, path, message, ...values, breaksBackward: breaks.backward ?? false, breaksForward: breaks.forward ?? false });
  }

  compare(o: AvroNode, n: AvroNode, path: string): void {
    if (this.quiet.get(o)?.has(n)) return;
    const top = topField(path);
    const pairs = this.visited.get(top) ?? this.visited.set(top, new Map()).get(top)!;
    const seen = pairs.get(o) ?? pairs.set(o, new Set()).get(o)!;
    if (seen.has(n)) {
      this.skipped++;
      return;
    }
    seen.add(n);
    const [found, skipped] = [this.out.length, this.skipped];
    this.pair(o, n, path);
    if (this.out.length === found && this.skipped === skipped) (this.quiet.get(o) ?? this.quiet.set(o, new Set()).get(o)!).add(n);
  }

  private pair(o: AvroNode, n: AvroNode, path: string): void {
    if (o.kind === 'union' || n.kind === 'union') return this.unions(o, n, path);
    if (o.kind !== n.kind || (o.kind === 'primitive' && n.kind === 'primitive' && o.type !== n.type)) return this.typeChange(o, n, path);
    switch (o.kind) {
      case 'primitive':
        return this.logical(o.logicalType, (n as typeof o).logicalType, path);
      case 'array':
        return this.compare(o.items, (n as typeof o).items, `${path}/items`);
      case 'map':
        return this.compare(o.values, (n as typeof o).values, `${path}/values`);
      case 'record':
        this.named(o, n as typeof o, path);
        return this.fields(o, n as typeof o, path);
      case 'enum':
        this.named(o, n as typeof o, path);
        return this.symbols(o, n as typeof o, path);
      case 'fixed': {
        const nf = n as typeof o;
        this.named(o, nf, path);
        if (o.size !== nf.size) this.add('avro.fixed-size-changed', path, `fixed ${nf.short} changed size from ${o.size} to ${nf.size} bytes`, { backward: true, forward: true }, { old: o.size, new: nf.size });
        return this.logical(o.logicalType, nf.logicalType, path);
      }
    }
  }

  private typeChange(o: AvroNode, n: AvroNode, path: string): void {
    const backward = canRead(n, o);
    const forward = canRead(o, n);
    const what = `${describe(o)} -> ${describe(n)}`;
    if (backward) {
      this.add('avro.type-promoted', path, `${where(path)} promoted ${what}: the new schema reads the old values${forward ? ', and the old schema reads the new ones' : '; old readers cannot read the new values'}`, { forward: !forward }, { old: describe(o), new: describe(n) });
    } else if (forward) {
      this.add('avro.type-demoted', path, `${where(path)} demoted ${what}: the new schema cannot read values written with the old one`, { backward: true }, { old: describe(o), new: describe(n) });
    } else {
      this.add('avro.type-changed', path, `${where(path)} changed type ${what}: neither schema reads the other's values`, { backward: true, forward: true }, { old: describe(o), new: describe(n) });
    }
  }

  private logical(o: string | undefined, n: string | undefined, path: string): void {
    if (o === n) return;
    this.add('avro.logical-type-changed', path, `${where(path)} logical type ${o ?? 'none'} -> ${n ?? 'none'}: resolution reads the underlying type, which did not change`, {}, { old: o ?? null, new: n ?? null });
  }

  /** A union against a union, or against a plain type (read as a union of one branch). Branches pair by type name. */
  private unions(o: AvroNode, n: AvroNode, path: string): void {
    const ob = o.kind === 'union' ? o.branches : [o];
    const nb = n.kind === 'union' ? n.branches : [n];
    const at = (b: AvroNode) => (n.kind === 'union' || o.kind === 'union' ? `${path}/${branchName(b)}` : path);
    const paired = new Set<AvroNode>();
    for (const x of ob) {
      const twin = nb.find((y) => branchName(y) === branchName(x));
      if (twin) {
        paired.add(twin);
        this.compare(x, twin, at(twin));
        continue;
      }
      const reader = nb.find((y) => canRead(y, x));
      this.add(
        'avro.union-branch-removed',
        at(x),
        reader
          ? `${where(path)} lost union branch ${describe(x)}; its old values are read by the ${describe(reader)} branch`
          : `${where(path)} lost union branch ${describe(x)}: data written with it cannot be read by the new schema`,
        { backward: !reader },
        { old: describe(x) },
      );
    }
    for (const y of nb) {
      if (paired.has(y)) continue;
      const reader = ob.find((x) => canRead(x, y));
      this.add(
        'avro.union-branch-added',
        at(y),
        reader
          ? `${where(path)} gained union branch ${describe(y)}; old readers read it as ${describe(reader)}`
          : `${where(path)} gained union branch ${describe(y)}: old readers cannot read values written with it`,
        { forward: !reader },
        { new: describe(y) },
      );
    }
  }

  private named(o: Extract<AvroNode, { name: string }>, n: Extract<AvroNode, { name: string }>, path: string): void {
    if (o.short !== n.short) {
      // Each reader looks for the writer's name among its own name and aliases.
      const backward = n.aliases.includes(o.short);
      const forward = o.aliases.includes(n.short);
      if (backward) this.add('avro.name-changed-via-alias', path, `${o.kind} ${o.short} renamed to ${n.short}, which keeps ${o.short} as an alias${forward ? '' : `; old readers know no ${n.short}`}`, { forward: !forward }, { old: o.name, new: n.name });
      else this.add('avro.name-changed', path, `${o.kind} ${o.short} renamed to ${n.short} without an alias: readers match ${o.kind}s by name`, { backward: true, forward: !forward }, { old: o.name, new: n.name });
    } else if (o.name !== n.name) {
      this.add('avro.namespace-changed', path, `${o.kind} ${o.short} moved from namespace ${ns(o.name)} to ${ns(n.name)}: resolution compares unqualified names`, {}, { old: o.name, new: n.name });
    }
    this.doc(o.doc, n.doc, path);
    if (!sameSet(o.aliases, n.aliases)) this.add('avro.aliases-changed', path, `${o.kind} ${n.short} aliases [${o.aliases.join(', ')}] -> [${n.aliases.join(', ')}]`, {}, { old: o.aliases, new: n.aliases });
  }

  private doc(o: string | undefined, n: string | undefined, path: string): void {
    if (o !== n) this.add('avro.doc-changed', path, `${where(path)} doc changed`, {}, { old: o ?? null, new: n ?? null });
  }

  private fields(o: Extract<AvroNode, { kind: 'record' }>, n: Extract<AvroNode, { kind: 'record' }>, path: string): void {
    // As the resolver does: a reader field takes the writer field named by its name or any of its
    // aliases; more than one such field is ambiguous (avsc and Java's checker both refuse).
    // Indexed by name: a 2,000-field record must not cost 2,000 squared comparisons.
    const byName = (fs: AvroField[]) => new Map(fs.map((f) => [f.name, f] as const));
    const oldByName = byName(o.fields);
    const newByName = byName(n.fields);
    const lookup = (reader: AvroField, writers: Map<string, AvroField>): AvroField[] => {
      const found = new Set<AvroField>();
      for (const name of [reader.name, ...reader.aliases]) {
        const w = writers.get(name);
        if (w) found.add(w);
      }
      return [...found];
    };
    const pairs: Array<[AvroField, AvroField]> = [];
    const pairedOld = new Set<AvroField>();
    const pairedNew = new Set<AvroField>();
    const fieldPath = (f: AvroField) => `${path}/fields/${f.name}`;
    const ambiguous = (reader: AvroField, writers: Map<string, AvroField>, side: 'new' | 'old') => {
      const found = lookup(reader, writers);
      if (found.length < 2) return;
      const who = side === 'new' ? 'the new schema' : 'old readers';
      this.add('avro.field-alias-ambiguous', fieldPath(reader), `field ${reader.name} matches ${found.map((f) => f.name).join(' and ')} of the ${side === 'new' ? 'old' : 'new'} schema by name or alias: ${who} cannot tell which to read`, side === 'new' ? { backward: true } : { forward: true });
    };
    for (const nf of n.fields) ambiguous(nf, oldByName, 'new');
    for (const of of o.fields) ambiguous(of, newByName, 'old');
    // Old fields by the aliases they declare: an old reader may name a new field that way.
    const oldByAlias = new Map<string, AvroField[]>();
    for (const f of o.fields) for (const a of f.aliases) oldByAlias.set(a, [...(oldByAlias.get(a) ?? []), f]);
    for (const nf of n.fields) {
      const back = lookup(nf, oldByName).filter((f) => !pairedOld.has(f));
      const of = back.find((f) => f.name === nf.name) ?? (back.length === 1 ? back[0] : undefined) ?? oldByAlias.get(nf.name)?.find((f) => !pairedOld.has(f));
      if (!of) continue;
      pairs.push([of, nf]);
      pairedOld.add(of);
      pairedNew.add(nf);
    }
    for (const [of, nf] of pairs) {
      const p = fieldPath(nf);
      if (of.name !== nf.name) {
        const backward = lookup(nf, oldByName).includes(of);
        const forward = lookup(of, newByName).includes(nf);
        const via = backward ? `which keeps ${of.name} as an alias` : `which the old field ${of.name} names as an alias`;
        const breaksBackward = !backward && !nf.hasDefault;
        const breaksForward = !forward && !of.hasDefault;
        const note = breaksForward ? `; old readers know no ${nf.name} and ${of.name} has no default` : breaksBackward ? `; the new schema knows no ${of.name} and ${nf.name} has no default` : '';
        this.add('avro.field-renamed-via-alias', p, `field ${of.name} renamed to ${nf.name}, ${via}${note}`, { backward: breaksBackward, forward: breaksForward }, { old: of.name, new: nf.name });
      }
      if (of.hasDefault !== nf.hasDefault || JSON.stringify(of.default) !== JSON.stringify(nf.default)) {
        this.add('avro.field-default-changed', p, `field ${nf.name} default ${show(of)} -> ${show(nf)}`, {}, { old: of.hasDefault ? of.default : null, new: nf.hasDefault ? nf.default : null });
      }
      this.doc(of.doc, nf.doc, p);
      if (of.name === nf.name && !sameSet(of.aliases, nf.aliases)) this.add('avro.aliases-changed', p, `field ${nf.name} aliases [${of.aliases.join(', ')}] -> [${nf.aliases.join(', ')}]`, {}, { old: of.aliases, new: nf.aliases });
      // A reader that does not match the pair never reads one field as the other: their types
      // matter only in the directions that pair them (the other is the rename rule's affair).
      const from = this.out.length;
      this.compare(of.type, nf.type, p);
      const backward = lookup(nf, oldByName).includes(of);
      const forward = lookup(of, newByName).includes(nf);
      for (const c of this.out.slice(from)) {
        if (!backward) c.breaksBackward = false;
        if (!forward) c.breaksForward = false;
      }
    }
    for (const of of o.fields) {
      if (pairedOld.has(of)) continue;
      if (of.hasDefault) this.add('avro.field-removed-with-default', fieldPath(of), `field ${of.name} removed; old readers fill it with its default ${JSON.stringify(of.default)}`, {}, { old: of.name });
      else this.add('avro.field-removed-without-default', fieldPath(of), `field ${of.name} removed: old readers need it and it has no default`, { forward: true }, { old: of.name });
    }
    for (const nf of n.fields) {
      if (pairedNew.has(nf)) continue;
      if (nf.hasDefault) this.add('avro.field-added-with-default', fieldPath(nf), `field ${nf.name} added with default ${JSON.stringify(nf.default)}; data written without it reads as the default`, {}, { new: nf.name });
      else this.add('avro.field-added-without-default', fieldPath(nf), `field ${nf.name} added without a default: data written with the old schema has no value for it`, { backward: true }, { new: nf.name });
    }
    const oldOf = new Map(pairs.map(([of, nf]) => [nf, of] as const));
    const oldOrder = o.fields.filter((f) => pairedOld.has(f));
    const newOrder = n.fields.filter((f) => pairedNew.has(f)).map((nf) => oldOf.get(nf)!);
    if (oldOrder.some((f, i) => newOrder[i] !== f)) {
      this.add('avro.field-order-changed', path === '' ? '/fields' : `${path}/fields`, `fields reordered (${newOrder.map((f) => f.name).join(', ')}): readers match fields by name`, {});
    }
  }

  private symbols(o: Extract<AvroNode, { kind: 'enum' }>, n: Extract<AvroNode, { kind: 'enum' }>, path: string): void {
    for (const s of n.symbols) {
      if (o.symbols.includes(s)) continue;
      // An old reader meets the new symbol: only its own (the old enum's) default can stand in.
      if (o.default !== undefined) this.add('avro.enum-symbol-added-with-default', `${path}/symbols/${s}`, `enum ${n.short} gained symbol ${s}; old readers read it as their default ${o.default}`, {}, { new: s });
      else this.add('avro.enum-symbol-added-without-default', `${path}/symbols/${s}`, `enum ${n.short} gained symbol ${s}, and the old enum has no default to read it as`, { forward: true }, { new: s });
    }
    for (const s of o.symbols) {
      if (n.symbols.includes(s)) continue;
      if (n.default !== undefined) this.add('avro.enum-symbol-removed-with-default', `${path}/symbols/${s}`, `enum ${n.short} lost symbol ${s}; old data holding it reads as the default ${n.default}`, {}, { old: s });
      else this.add('avro.enum-symbol-removed-without-default', `${path}/symbols/${s}`, `enum ${n.short} lost symbol ${s}, and the new enum has no default to read old data holding it`, { backward: true }, { old: s });
    }
    if (o.default !== n.default) this.add('avro.enum-default-changed', path, `enum ${n.short} default ${o.default ?? 'none'} -> ${n.default ?? 'none'}`, {}, { old: o.default ?? null, new: n.default ?? null });
  }
}

function where(path: string): string {
  const m = /\/fields\/([^/]+)(?:\/.*)?$/.exec(path);
  if (!m) return path === '' ? 'the record' : path;
  return path.endsWith(`/fields/${m[1]}`) ? `field ${m[1]}` : `field ${m[1]} (${path})`;
}

function ns(name: string): string {
  const i = name.lastIndexOf('.');
  return i < 0 ? '(none)' : name.slice(0, i);
}

function show(f: AvroField): string {
  return f.hasDefault ? JSON.stringify(f.default) : 'none';
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** Every difference between two record schemas, old -> new, with the directions each breaks. */
export function walkAvro(oldRoot: AvroNode, newRoot: AvroNode): AvroChange[] {
  const w = new Walk();
  w.compare(oldRoot, newRoot, '');
  return w.out;
}
