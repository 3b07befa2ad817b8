/**
 * Small JSON helpers. Structural equality is only needed on small nodes
 * (enum values, defaults, combinator branches), so a canonical string is
 * cheap enough and keeps the code obvious.
 */

export type RawObject = { [key: string]: unknown };
export type Raw = RawObject | boolean;

export function isObject(v: unknown): v is RawObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Canonical JSON: object keys sorted, so {a,b} and {b,a} compare equal. */
export function canonical(v: unknown, stack: unknown[] = []): string {
  if (v === undefined) return 'undefined';
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  // A cyclic object graph (YAML aliases) must not loop: name the cycle by its depth.
  const seen = stack.indexOf(v);
  if (seen >= 0) return `<cycle ${stack.length - seen}>`;
  stack.push(v);
  let out: string;
  if (Array.isArray(v)) out = '[' + v.map((x) => canonical(x, stack)).join(',') + ']';
  else {
    const keys = Object.keys(v).sort();
    out = '{';
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (i > 0) out += ',';
      out += JSON.stringify(k) + ':' + canonical((v as RawObject)[k], stack);
    }
    out += '}';
  }
  stack.pop();
  return out;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || typeof a !== 'object' || a === null || b === null) return false;
  return canonical(a) === canonical(b);
}

/** RFC 6901 escaping of one reference token. */
export function escapeToken(s: string): string {
  return s.includes('~') || s.includes('/') ? s.replace(/~/g, '~0').replace(/\//g, '~1') : s;
}

export function unescapeToken(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** path + one token; no rest array, this runs once per property. */
export function child(path: string, token: string | number, token2?: string | number): string {
  const p = path + '/' + (typeof token === 'number' ? token : escapeToken(token));
  return token2 === undefined ? p : p + '/' + (typeof token2 === 'number' ? token2 : escapeToken(token2));
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/**
 * True when two schema objects hold the same keywords with the same
 * primitive values and nothing whose meaning depends on the document
 * ($ref resolves per document; boolean "items" reads differently per
 * draft). Such a pair cannot differ, so the walk skips it: that is what
 * keeps a 2,000-column diff cheap when a few columns changed.
 *
 * With `arrays` (the caller's two documents share a draft), a keyword may
 * also hold an array of primitives equal element by element: a nullable
 * column's `type: [string, null]`, `enum`, `required`. Such values mean the
 * same in both documents, and without this a nullable column took the full
 * type-union path (facets, branch matching) only to find nothing.
 *
 * Symmetric: sameLeaf(a, b) === sameLeaf(b, a) (a key holding undefined
 * sends the pair to the full walk), so one direction may reuse the other's
 * answer (object.ts).
 */
export function sameLeaf(a: unknown, b: unknown, arrays = false): boolean {
  if (a === b) return typeof a === 'boolean';
  if (!isObject(a) || !isObject(b)) return false;
  let count = 0;
  for (const k in a) {
    const v = a[k];
    if (typeof v === 'object' && v !== null) {
      if (!arrays || !samePrimitives(v, b[k])) return false;
    } else if (v !== b[k] || v === undefined) return false;
    if (k === '$ref' || k === 'items') return false;
    count++;
  }
  for (const _ in b) count--;
  return count === 0;
}

/** Two arrays of the same primitives (strings, numbers, booleans, null) in the same order. */
function samePrimitives(v: object, w: unknown): boolean {
  if (!Array.isArray(v) || !Array.isArray(w) || v.length !== w.length) return false;
  for (let i = 0; i < v.length; i++) {
    const x: unknown = v[i];
    if (x !== w[i] || (typeof x === 'object' && x !== null)) return false;
  }
  return true;
}
