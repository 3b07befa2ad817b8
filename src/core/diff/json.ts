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
export function canonical(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
  const keys = Object.keys(v).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (i > 0) out += ',';
    out += JSON.stringify(k) + ':' + canonical((v as RawObject)[k]);
  }
  return out + '}';
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

export function child(path: string, ...tokens: Array<string | number>): string {
  let p = path;
  for (const t of tokens) p += '/' + escapeToken(String(t));
  return p;
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
