/**
 * A typed view of a JSON Schema node, built lazily and cached per document.
 *
 * A raw schema object can say several things at once ({"type":"string",
 * "enum":[...]} is "a string AND one of these values"). Like the validators
 * Confluent builds on, we split such an object into facets (one per
 * concern) and treat several facets as an implicit allOf. That is what makes
 * "enum removed" read as "an allOf lost a member" (compatible) and "enum
 * added to a plain string" read as a type change (breaking), exactly as the
 * reference checker decides.
 */
import { isObject, unescapeToken, type Raw, type RawObject } from './json.js';
import { foldable } from './evaluated.js';

export type Draft = 4 | 6 | 7 | 2019 | 2020;
export type Criterion = 'allOf' | 'anyOf' | 'oneOf';
export type Kind =
  | 'empty'
  | 'false'
  | 'string'
  | 'number'
  | 'boolean'
  | 'null'
  | 'object'
  | 'array'
  | 'enum'
  | 'const'
  | 'combined'
  | 'not'
  | 'ref'
  | 'extref'
  | 'conditional';

export interface Branch {
  node: Node;
  /** Path segment(s) to the branch ("anyOf/1"), or null for an implicit facet that has no place in the document. */
  seg: string | null;
  /** Identity used to collapse duplicate branches. */
  key: string;
}

export interface Node {
  kind: Kind;
  doc: Doc;
  /** The raw object this node reads its keywords from (shared by the facets of one object). */
  raw: Raw;
  /** Only the outermost node of a raw object carries its annotations (title, description...). */
  ann: boolean;
  integer: boolean;
  criterion: Criterion | undefined;
  branches: Branch[] | undefined;
  /** Number of branches as written (before collapsing duplicates): decides "singleton" cases. */
  arity: number;
  synthetic: boolean;
  ref: string | undefined;
  /** Identity for the pair memo (compare.ts nodeKey), computed once. */
  mkey: string | undefined;
}

export interface Doc {
  root: unknown;
  draft: Draft;
  cache: Map<RawObject, Node>;
  /** Objects being normalized right now: a combinator that contains itself (cyclic graph) stops here. */
  building: Set<RawObject>;
  anchors?: Map<string, unknown>;
  /** Tessera: fold allOf branches into an unevaluatedProperties parent (evaluated.ts). */
  foldEvaluated?: boolean;
  /** $ref -> target, resolved once: a recursive union dereferences the same few refs thousands of times. */
  targets?: Map<string, unknown>;
}

const OBJECT_KEYWORDS = [
  'properties',
  'required',
  'minProperties',
  'maxProperties',
  'dependencies',
  'dependentRequired',
  'dependentSchemas',
  'patternProperties',
  'additionalProperties',
  'unevaluatedProperties',
  'propertyNames',
];
const ARRAY_KEYWORDS = ['items', 'prefixItems', 'additionalItems', 'unevaluatedItems', 'minItems', 'maxItems', 'uniqueItems', 'contains', 'minContains', 'maxContains'];
const NUMBER_KEYWORDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'];
const STRING_KEYWORDS = ['minLength', 'maxLength', 'pattern', 'format'];
/** Which kind a keyword implies when "type" is absent: one lookup per key instead of a scan per kind. */
const IMPLIED = new Map<string, 'object' | 'array' | 'number' | 'string'>([
  ...OBJECT_KEYWORDS.map((k) => [k, 'object'] as const),
  ...ARRAY_KEYWORDS.map((k) => [k, 'array'] as const),
  ...NUMBER_KEYWORDS.map((k) => [k, 'number'] as const),
  ...STRING_KEYWORDS.map((k) => [k, 'string'] as const),
]);
const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null', 'object', 'array']);

export function detectDraft(root: unknown): Draft {
  const s = isObject(root) && typeof root.$schema === 'string' ? root.$schema : '';
  if (s.includes('2020-12')) return 2020;
  if (s.includes('2019-09')) return 2019;
  if (s.includes('draft-04')) return 4;
  if (s.includes('draft-06')) return 6;
  return 7;
}

export function makeDoc(root: unknown): Doc {
  return { root, draft: detectDraft(root), cache: new Map(), building: new Set() };
}

/**
 * The node for a raw schema. Only $ref targets are cached (see deref): a
 * recursive schema always cycles through a $ref, so that is where a stable
 * identity is needed for the recursion guard; everything else is built
 * fresh, which is cheaper than a cache lookup.
 */
export function nodeOf(doc: Doc, raw: unknown): Node {
  if (raw === false) return mk('false', doc, false, true);
  if (!isObject(raw)) return mk('empty', doc, true, true);
  return build(doc, raw);
}

function cachedNodeOf(doc: Doc, raw: unknown): Node {
  if (!isObject(raw)) return nodeOf(doc, raw);
  const hit = doc.cache.get(raw);
  if (hit) return hit;
  const n = build(doc, raw);
  doc.cache.set(raw, n);
  return n;
}

/** Every node has the same shape, which keeps property access monomorphic on hot paths. */
function mk(kind: Kind, doc: Doc, raw: Raw, ann: boolean): Node {
  return { kind, doc, raw, ann, integer: false, criterion: undefined, branches: undefined, arity: 0, synthetic: false, ref: undefined, mkey: undefined };
}

function facet(doc: Doc, raw: RawObject, kind: Kind, extra?: Partial<Node>): Node {
  const n = mk(kind, doc, raw, false);
  return extra ? Object.assign(n, extra) : n;
}

function typed(doc: Doc, raw: RawObject, t: string): Node {
  if (t !== 'integer') return mk(t as Kind, doc, raw, false);
  const n = mk('number', doc, raw, false);
  n.integer = true;
  return n;
}

/** Keywords that start a facet of their own (besides "type" and the implied kinds). */
const FACET_KEYWORDS = new Set(['$ref', 'enum', 'allOf', 'anyOf', 'oneOf', 'not', 'if', 'const']);

function build(doc: Doc, raw: RawObject): Node {
  // Up to draft-07 a $ref replaces its object: the keywords beside it are ignored (from 2019-09 on they apply too).
  if (doc.draft < 2019 && typeof raw.$ref === 'string') return facet(doc, raw, 'ref', { ref: raw.$ref, ann: true });
  // One pass over the (usually two or three) keys present decides which facets exist.
  let special = false;
  let hasType = false;
  let isObj = false;
  let isArr = false;
  let isNum = false;
  let isStr = false;
  for (const k in raw) {
    // "type" alone (a typical column) needs none of the probes for $ref, enum, combinators... below.
    if (k === 'type') {
      hasType = true;
      continue;
    }
    if (FACET_KEYWORDS.has(k)) {
      special = true;
      continue;
    }
    const implied = IMPLIED.get(k);
    if (implied === undefined) continue;
    if (implied === 'object') isObj = isObj || impliesObject(doc, raw, k);
    else if (implied === 'array') isArr = true;
    else if (implied === 'number') isNum = true;
    else isStr = true;
  }
  const facets: Node[] = [];
  if (special) {
    if (typeof raw.$ref === 'string') facets.push(facet(doc, raw, 'ref', { ref: raw.$ref }));
    if (Array.isArray(raw.enum)) facets.push(facet(doc, raw, 'enum'));
    for (const c of ['allOf', 'anyOf', 'oneOf'] as const) {
      const list = raw[c];
      if (!Array.isArray(list)) continue;
      // Its branches' properties are read as the object's own (evaluated.ts).
      if (c === 'allOf' && doc.foldEvaluated && foldable(raw)) continue;
      facets.push(explicitCombined(doc, raw, c, list));
    }
    if ('not' in raw) facets.push(facet(doc, raw, 'not'));
    if ('if' in raw) facets.push(facet(doc, raw, 'conditional'));
    if ('const' in raw) facets.push(facet(doc, raw, 'const'));
  }
  if (typeof raw.type === 'string') {
    if (TYPES.has(raw.type)) facets.push(typed(doc, raw, raw.type));
  } else if ((special || hasType) && 'type' in raw) {
    // The known type names, first occurrence of each, in the order written.
    const unique: string[] = [];
    if (Array.isArray(raw.type)) for (const t of raw.type) if (typeof t === 'string' && TYPES.has(t) && !unique.includes(t)) unique.push(t);
    if (unique.length === 1) facets.push(typed(doc, raw, unique[0]!));
    else if (unique.length > 1) {
      const branches = unique.map((t) => ({ node: typed(doc, raw, t), seg: null, key: 'type:' + t }));
      facets.push(facet(doc, raw, 'combined', { criterion: 'anyOf', branches, arity: branches.length, synthetic: true }));
    }
  } else {
    // No "type": the kinds the keywords constrain, as validators infer them.
    if (isObj) facets.push(facet(doc, raw, 'object'));
    if (isArr) facets.push(facet(doc, raw, 'array'));
    if (isNum) facets.push(facet(doc, raw, 'number', { integer: false }));
    if (isStr) facets.push(facet(doc, raw, 'string'));
  }
  if (facets.length === 0) return mk('empty', doc, raw, true);
  if (facets.length === 1) {
    const only = facets[0]!;
    only.ann = true;
    return only;
  }
  const branches = facets.map((node, i) => ({ node, seg: null, key: 'facet:' + i + ':' + node.kind }));
  return Object.assign(mk('combined', doc, raw, true), { criterion: 'allOf' as const, branches, arity: branches.length, synthetic: true });
}

function impliesObject(doc: Doc, raw: RawObject, k: string): boolean {
  // 2019-09+ loaders treat an empty "properties" as no constraint at all (it is one).
  if (k !== 'properties' || doc.draft < 2019) return true;
  return !(isObject(raw.properties) && Object.keys(raw.properties).length === 0);
}

function explicitCombined(doc: Doc, raw: RawObject, c: Criterion, list: unknown[]): Node {
  doc.building.add(raw);
  const branches: Branch[] = list.map((sub, i) => ({
    node: isObject(sub) && doc.building.has(sub) ? mk('empty', doc, true, false) : nodeOf(doc, sub),
    seg: `${c}/${i}`,
    key: '',
  }));
  doc.building.delete(raw);
  return facet(doc, raw, 'combined', { criterion: c, branches, arity: list.length, synthetic: false });
}

/** Follow $ref (and chains of them) to the node they stand for; unresolvable ones become 'extref'. */
export function deref(n: Node): Node {
  let cur = n;
  for (let hops = 0; cur.kind === 'ref'; hops++) {
    if (hops > 64) return mk('empty', n.doc, true, false);
    const targets = (cur.doc.targets ??= new Map());
    let target = targets.get(cur.ref!);
    if (target === undefined && !targets.has(cur.ref!)) targets.set(cur.ref!, (target = resolve(cur.doc, cur.ref!)));
    if (target === undefined) return { ...cur, kind: 'extref', mkey: undefined };
    cur = cachedNodeOf(cur.doc, target);
  }
  return cur;
}

export function resolve(doc: Doc, ref: string): unknown {
  const hash = ref.indexOf('#');
  const base = hash < 0 ? ref : ref.slice(0, hash);
  const frag = hash < 0 ? '' : ref.slice(hash + 1);
  if (base !== '') {
    const id = isObject(doc.root) ? (doc.root.$id ?? doc.root.id) : undefined;
    if (typeof id !== 'string' || (id !== base && id.replace(/#$/, '') !== base)) return undefined;
  }
  if (frag === '' ) return doc.root;
  if (!frag.startsWith('/')) return anchors(doc).get(frag);
  let cur: unknown = doc.root;
  for (const rawToken of frag.slice(1).split('/')) {
    let token = unescapeToken(rawToken);
    try {
      token = decodeURIComponent(token);
    } catch {
      // keep the token as written
    }
    if (Array.isArray(cur)) cur = cur[Number(token)];
    else if (isObject(cur)) cur = cur[token];
    else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

function anchors(doc: Doc): Map<string, unknown> {
  if (doc.anchors) return doc.anchors;
  const found = new Map<string, unknown>();
  const seen = new Set<unknown>();
  const walk = (v: unknown): void => {
    if (typeof v !== 'object' || v === null || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    const o = v as RawObject;
    if (typeof o.$anchor === 'string') found.set(o.$anchor, o);
    if (typeof o.$id === 'string' && o.$id.startsWith('#')) found.set(o.$id.slice(1), o);
    for (const k in o) walk(o[k]);
  };
  walk(doc.root);
  doc.anchors = found;
  return found;
}
