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
  integer?: boolean;
  criterion?: Criterion;
  branches?: Branch[];
  /** Number of branches as written (before collapsing duplicates): decides "singleton" cases. */
  arity?: number;
  synthetic?: boolean;
  ref?: string;
}

export interface Doc {
  root: unknown;
  draft: Draft;
  cache: Map<RawObject, Node>;
  anchors?: Map<string, unknown>;
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
  return { root, draft: detectDraft(root), cache: new Map() };
}

const TRUE_NODES = new WeakMap<Doc, Node>();
const FALSE_NODES = new WeakMap<Doc, Node>();

export function nodeOf(doc: Doc, raw: unknown): Node {
  if (raw === false) {
    let n = FALSE_NODES.get(doc);
    if (!n) FALSE_NODES.set(doc, (n = { kind: 'false', doc, raw: false, ann: true }));
    return n;
  }
  if (!isObject(raw)) {
    // true, and anything that is not a schema, accepts everything.
    let n = TRUE_NODES.get(doc);
    if (!n) TRUE_NODES.set(doc, (n = { kind: 'empty', doc, raw: true, ann: true }));
    return n;
  }
  const hit = doc.cache.get(raw);
  if (hit) return hit;
  const n = build(doc, raw);
  doc.cache.set(raw, n);
  return n;
}

function facet(doc: Doc, raw: RawObject, kind: Kind, extra?: Partial<Node>): Node {
  return { kind, doc, raw, ann: false, ...extra };
}

function typed(doc: Doc, raw: RawObject, t: string): Node {
  if (t === 'integer') return facet(doc, raw, 'number', { integer: true });
  if (t === 'number') return facet(doc, raw, 'number', { integer: false });
  return facet(doc, raw, t as Kind);
}

function has(raw: RawObject, keys: readonly string[]): boolean {
  for (const k of keys) if (k in raw) return true;
  return false;
}

function build(doc: Doc, raw: RawObject): Node {
  const facets: Node[] = [];
  if (typeof raw.$ref === 'string') facets.push(facet(doc, raw, 'ref', { ref: raw.$ref }));
  if (Array.isArray(raw.enum)) facets.push(facet(doc, raw, 'enum'));
  for (const c of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = raw[c];
    if (Array.isArray(list)) facets.push(explicitCombined(doc, raw, c, list));
  }
  if ('not' in raw) facets.push(facet(doc, raw, 'not'));
  if ('if' in raw) facets.push(facet(doc, raw, 'conditional'));
  if ('const' in raw) facets.push(facet(doc, raw, 'const'));
  if ('type' in raw) {
    const types = (Array.isArray(raw.type) ? raw.type : [raw.type]).filter((t): t is string => typeof t === 'string' && TYPES.has(t));
    const unique = [...new Set(types)];
    if (unique.length === 1) facets.push(typed(doc, raw, unique[0]!));
    else if (unique.length > 1) {
      const branches = unique.map((t) => ({ node: typed(doc, raw, t), seg: null, key: 'type:' + t }));
      facets.push(facet(doc, raw, 'combined', { criterion: 'anyOf', branches, arity: branches.length, synthetic: true }));
    }
  } else {
    // No "type": infer the kinds the keywords constrain, as validators do.
    if (sniffObject(doc, raw)) facets.push(facet(doc, raw, 'object'));
    if (has(raw, ARRAY_KEYWORDS)) facets.push(facet(doc, raw, 'array'));
    if (has(raw, NUMBER_KEYWORDS)) facets.push(facet(doc, raw, 'number', { integer: false }));
    if (has(raw, STRING_KEYWORDS)) facets.push(facet(doc, raw, 'string'));
  }
  if (facets.length === 0) return { kind: 'empty', doc, raw, ann: true };
  if (facets.length === 1) {
    const only = facets[0]!;
    only.ann = true;
    return only;
  }
  const branches = facets.map((node, i) => ({ node, seg: null, key: 'facet:' + i + ':' + node.kind }));
  return { kind: 'combined', doc, raw, ann: true, criterion: 'allOf', branches, arity: branches.length, synthetic: true };
}

function sniffObject(doc: Doc, raw: RawObject): boolean {
  for (const k of OBJECT_KEYWORDS) {
    if (!(k in raw)) continue;
    // 2019-09+ loaders treat an empty "properties" as no constraint at all (it is one).
    if (k === 'properties' && doc.draft >= 2019 && isObject(raw.properties) && Object.keys(raw.properties).length === 0) continue;
    return true;
  }
  return false;
}

function explicitCombined(doc: Doc, raw: RawObject, c: Criterion, list: unknown[]): Node {
  const branches: Branch[] = list.map((sub, i) => ({ node: nodeOf(doc, sub), seg: `${c}/${i}`, key: '' }));
  return facet(doc, raw, 'combined', { criterion: c, branches, arity: list.length, synthetic: false });
}

/** Follow $ref (and chains of them) to the node they stand for; unresolvable ones become 'extref'. */
export function deref(n: Node): Node {
  let cur = n;
  for (let hops = 0; cur.kind === 'ref'; hops++) {
    if (hops > 64) return { kind: 'empty', doc: n.doc, raw: true, ann: false };
    const target = resolve(cur.doc, cur.ref!);
    if (target === undefined) return { ...cur, kind: 'extref' };
    cur = nodeOf(cur.doc, target);
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
