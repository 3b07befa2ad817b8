/**
 * A fast block-YAML emitter for plain data (objects, arrays, strings,
 * finite numbers, booleans, null), byte-identical to `yaml.stringify(value,
 * { lineWidth: 0, aliasDuplicateObjects: false })` for what it accepts.
 *
 * yaml.stringify builds a Document per call (~0.7 ms for a 30-column
 * contract); a first dbt sync writes two files per model. The structure here
 * is emitted directly and each distinct scalar is rendered once by yaml
 * itself (memoised), so quoting rules are exactly yaml's. Anything unusual
 * (strings with line breaks, which yaml may render as block scalars; very
 * long keys; non-finite numbers; non-plain objects) returns undefined and
 * the caller falls back to yaml.stringify.
 */
import { stringify } from 'yaml';

const MEMO_MAX = 200_000;
const scalars = new Map<string, string>();
const numbers = new Map<number, string>();

class Unsupported extends Error {}

/**
 * Strings yaml writes as they are (plain): a letter or `_` first, then
 * letters, digits and ` _.,()/-`, no trailing space, and not a word the core
 * schema reads as null or a boolean (nor YAML 1.1's yes/no/on/off, to be
 * safe). Column names, descriptions, ids and types mostly are; they skip the
 * memo and yaml. test/sync/yaml-emit.test.ts checks this against yaml.
 */
const PLAIN = /^[A-Za-z_](?:[A-Za-z0-9_ .,()/-]*[A-Za-z0-9_.,()/-])?$/;
const RESERVED = /^(?:null|true|false|yes|no|on|off|y|n)$/i;

export function isPlainSafe(s: string): boolean {
  return s.length <= 1000 && PLAIN.test(s) && !RESERVED.test(s);
}

function str(s: string): string {
  if (isPlainSafe(s)) return s;
  let out = scalars.get(s);
  if (out !== undefined) return out;
  if (/[\n\r\u0085\u2028\u2029]/.test(s) || s.length > 1000) throw new Unsupported();
  out = stringify(s, { lineWidth: 0 });
  out = out.endsWith('\n') ? out.slice(0, -1) : out;
  if (out.includes('\n')) throw new Unsupported();
  if (scalars.size >= MEMO_MAX) scalars.clear();
  scalars.set(s, out);
  return out;
}

function num(n: number): string {
  if (!Number.isFinite(n) || Object.is(n, -0)) throw new Unsupported();
  let out = numbers.get(n);
  if (out === undefined) {
    out = stringify(n).trimEnd();
    if (numbers.size >= MEMO_MAX) numbers.clear();
    numbers.set(n, out);
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function scalar(v: unknown): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return str(v);
    case 'number':
      return num(v);
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      break;
  }
  if (Array.isArray(v) && v.length === 0) return '[]';
  if (isPlainObject(v) && Object.keys(v).length === 0) return '{}';
  throw new Unsupported();
}

function isBlock(v: unknown): boolean {
  return (Array.isArray(v) && v.length > 0) || (isPlainObject(v) && Object.values(v).some((x) => x !== undefined));
}

function block(v: unknown, ind: string, out: string[]): void {
  if (Array.isArray(v)) {
    for (const item of v) {
      if (item === undefined) throw new Unsupported();
      if (isBlock(item)) {
        const start = out.length;
        block(item, ind + '  ', out);
        out[start] = `${ind}- ${out[start]!.slice(ind.length + 2)}`;
      } else out.push(`${ind}- ${scalar(item)}`);
    }
    return;
  }
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    if (val === undefined) continue;
    const key = str(k);
    if (isBlock(val)) {
      out.push(`${ind}${key}:`);
      block(val, ind + '  ', out);
    } else out.push(`${ind}${key}: ${scalar(val)}`);
  }
}

/** Block YAML for a plain object, or undefined when the value needs yaml.stringify. */
export function emitYaml(value: unknown): string | undefined {
  if (!isPlainObject(value) || !isBlock(value)) return undefined;
  const out: string[] = [];
  try {
    block(value, '', out);
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
  return out.join('\n') + '\n';
}
