/**
 * An Avro schema as a tree Tessera can walk: avsc's parsed types (names
 * resolved, references shared, recursion closed) plus what avsc drops when no
 * logical type is registered (`logicalType`) and field defaults as written.
 * Each node keeps its avsc type, so a sub-question ("can this branch read
 * that one?") is asked of avsc, not answered by us.
 */
import { isObject } from '../schema/walk.js';
import type { AvroType } from './avsc.js';

interface Named {
  /** Full name (namespace.name). */
  name: string;
  /** Unqualified name, which resolution compares. */
  short: string;
  /** Unqualified aliases. */
  aliases: string[];
  doc?: string;
}

export type AvroNode =
  | { kind: 'primitive'; type: string; logicalType?: string; t: AvroType }
  | ({ kind: 'record'; fields: AvroField[]; t: AvroType } & Named)
  | ({ kind: 'enum'; symbols: string[]; default?: string; t: AvroType } & Named)
  | ({ kind: 'fixed'; size: number; logicalType?: string; t: AvroType } & Named)
  | { kind: 'array'; items: AvroNode; t: AvroType }
  | { kind: 'map'; values: AvroNode; t: AvroType }
  | { kind: 'union'; branches: AvroNode[]; t: AvroType };

export interface AvroField {
  name: string;
  aliases: string[];
  doc?: string;
  hasDefault: boolean;
  /** The default as written in the schema. */
  default?: unknown;
  type: AvroNode;
}

export const unqualify = (name: string): string => name.slice(name.lastIndexOf('.') + 1);

/** The object that defines this position, when the raw schema holds one there (not a name reference). */
function definition(raw: unknown): Record<string, unknown> | undefined {
  return isObject(raw) ? raw : undefined;
}

// Loosely typed views of avsc's type classes: its declarations do not cover every subclass member we read.
interface AvscField { name: string; aliases: string[]; doc?: string; type: AvroType; defaultValue(): unknown }
type AvscAny = AvroType & {
  typeName: string;
  name?: string;
  aliases?: string[];
  doc?: string;
  fields?: AvscField[];
  symbols?: string[];
  default?: string;
  size?: number;
  itemsType?: AvroType;
  valuesType?: AvroType;
  types?: AvroType[];
};

export function nodeOf(type: AvroType, raw: unknown, memo = new Map<AvroType, AvroNode>()): AvroNode {
  const seen = memo.get(type);
  if (seen) return seen;
  const t = type as AvscAny;
  const def = definition(raw);
  const logicalType = typeof def?.logicalType === 'string' ? def.logicalType : undefined;
  const named = (): Named => {
    const n: Named = { name: t.name!, short: unqualify(t.name!), aliases: (t.aliases ?? []).map(unqualify) };
    if (typeof t.doc === 'string') n.doc = t.doc;
    return n;
  };
  switch (t.typeName) {
    case 'record':
    case 'error': {
      const node: AvroNode = { kind: 'record', ...named(), fields: [], t: type };
      // Registered before the fields are read: a recursive reference finds this node.
      memo.set(type, node);
      const rawFields = Array.isArray(def?.fields) ? def.fields : [];
      t.fields!.forEach((f, i) => {
        const rf = isObject(rawFields[i]) ? rawFields[i] : undefined;
        const field: AvroField = { name: f.name, aliases: [...(f.aliases ?? [])], hasDefault: f.defaultValue() !== undefined, type: nodeOf(f.type, rf?.type, memo) };
        if (typeof f.doc === 'string') field.doc = f.doc;
        if (rf && 'default' in rf) field.default = rf.default;
        node.fields.push(field);
      });
      return node;
    }
    case 'enum': {
      const node: AvroNode = { kind: 'enum', ...named(), symbols: [...t.symbols!], t: type };
      if (t.default !== undefined) node.default = t.default;
      memo.set(type, node);
      return node;
    }
    case 'fixed': {
      const node: AvroNode = { kind: 'fixed', ...named(), size: t.size!, t: type };
      if (logicalType) node.logicalType = logicalType;
      memo.set(type, node);
      return node;
    }
    case 'array':
      return { kind: 'array', items: nodeOf(t.itemsType!, def?.items, memo), t: type };
    case 'map':
      return { kind: 'map', values: nodeOf(t.valuesType!, def?.values, memo), t: type };
    default: {
      if (t.typeName.startsWith('union')) {
        const rawBranches = Array.isArray(raw) ? raw : [];
        return { kind: 'union', branches: t.types!.map((b, i) => nodeOf(b, rawBranches[i], memo)), t: type };
      }
      const node: AvroNode = { kind: 'primitive', type: t.typeName, t: type };
      if (logicalType) node.logicalType = logicalType;
      return node;
    }
  }
}

/** How a node is named in messages: `int`, `record Order`, `array<long>`, `union [null, string]`. */
export function describe(n: AvroNode): string {
  switch (n.kind) {
    case 'primitive':
      return n.logicalType ? `${n.type} (${n.logicalType})` : n.type;
    case 'record':
    case 'enum':
    case 'fixed':
      return `${n.kind} ${n.short}`;
    case 'array':
      return `array<${describe(n.items)}>`;
    case 'map':
      return `map<${describe(n.values)}>`;
    case 'union':
      return `union [${n.branches.map(branchName).join(', ')}]`;
  }
}

/** A union branch's identity: its type name (Avro allows one branch per primitive, array, map and name). */
export function branchName(n: AvroNode): string {
  if (n.kind === 'record' || n.kind === 'enum' || n.kind === 'fixed') return n.short;
  if (n.kind === 'primitive') return n.type;
  return n.kind;
}
