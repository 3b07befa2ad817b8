/**
 * An OpenAPI 3.0/3.1 document -> one JSON Schema per `components.schemas`
 * entry, or the response schema of one operation. Pure.
 *
 * - `$ref`s inside the document are resolved: every component a schema
 *   reaches is copied into its `$defs` and the reference pointed there, so
 *   recursive models stay finite and the diff engine follows them.
 * - A `$ref` that leaves the document (another file, a URL) is refused
 *   before anything else: Tessera never fetches (src/core/schema/refs.ts).
 * - OpenAPI 3.0's Schema Object is not JSON Schema: `nullable: true` becomes
 *   a type array with "null" and boolean exclusiveMinimum/Maximum the numeric
 *   form (draft-07 out). 3.1 schemas are JSON Schema 2020-12 already.
 */
import { InputError } from '../errors.js';
import { quote, schemaInputError } from '../schema/problem.js';
import { escapePointerSegment, isObject } from '../schema/walk.js';
import { resolvePointer } from '../schema/refs.js';
import { slugOf } from './odcs-import.js';

type Obj = Record<string, unknown>;

export interface OpenApiSchema {
  /** The component's name, or the operationId. */
  name: string;
  /** The asset id: prefix + a lower-case form of the name. */
  asset: string;
  schema: Obj;
  description?: string;
}

export interface OpenApiImport {
  version: string;
  title?: string;
  schemas: OpenApiSchema[];
}

const COMPONENT = '#/components/schemas/';
const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';
const DRAFT_2020 = 'https://json-schema.org/draft/2020-12/schema';

/** Every `$ref` string in the document, with where it is. */
function eachRef(node: unknown, pointer: string, visit: (ref: string, at: string) => void): void {
  if (Array.isArray(node)) node.forEach((v, i) => eachRef(v, `${pointer}/${i}`, visit));
  else if (isObject(node)) {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') visit(v, pointer || '/');
      else eachRef(v, `${pointer}/${escapePointerSegment(k)}`, visit);
    }
  }
}

/** The 3.0 Schema Object dialect -> JSON Schema draft-07, on a copy. */
function fromOas30(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(fromOas30);
  if (!isObject(node)) return node;
  const out: Obj = {};
  for (const [k, v] of Object.entries(node)) {
    // Example values are data, never schemas: copied as they are.
    out[k] = k === 'example' || k === 'enum' || k === 'default' ? v : fromOas30(v);
  }
  if (out.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  delete out.nullable;
  for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (typeof out[flag] === 'boolean') {
      if (out[flag] === true && typeof out[bound] === 'number') {
        out[flag] = out[bound];
        delete out[bound];
      } else delete out[flag];
    }
  }
  return out;
}

/**
 * One schema made standalone: references to components point into its own
 * `$defs`, which holds every component it reaches (by name, as in the document).
 */
function standalone(doc: Obj, root: unknown, source: string, oas30: boolean): Obj {
  const defs: Obj = {};
  const pending: string[] = [];
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (!isObject(node)) return node;
    const out: Obj = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') {
        if (v.startsWith(COMPONENT) && !v.slice(COMPONENT.length).includes('/')) {
          const name = decodeURIComponent(v.slice(COMPONENT.length)).replace(/~1/g, '/').replace(/~0/g, '~');
          if (!(name in defs) && !pending.includes(name)) pending.push(name);
          out[k] = `#/$defs/${escapePointerSegment(name)}`;
        } else {
          // A reference elsewhere in the document (a parameter's schema, a response): its target, inline.
          const target = resolvePointer(doc, decodeURIComponent(v.slice(1)));
          if (!target.found) throw schemaInputError(source, `has a $ref ${quote(v)} that points nowhere in the document`, 'fix the reference');
          Object.assign(out, rewrite(target.value) as Obj);
        }
      } else out[k] = k === 'example' || k === 'enum' || k === 'default' || k === 'const' ? v : rewrite(v);
    }
    return out;
  };
  const components = isObject(doc.components) && isObject(doc.components.schemas) ? doc.components.schemas : {};
  const schema = rewrite(oas30 ? fromOas30(root) : root) as Obj;
  while (pending.length > 0) {
    const name = pending.shift()!;
    if (!(name in components)) throw schemaInputError(source, `has a $ref to ${quote(COMPONENT + name)}, which components.schemas does not define`, 'define the component or fix the reference');
    defs[name] = rewrite(oas30 ? fromOas30(components[name]) : components[name]);
  }
  const out: Obj = { $schema: oas30 ? DRAFT_07 : DRAFT_2020, ...schema };
  if (Object.keys(defs).length > 0) out.$defs = { ...(isObject(schema.$defs) ? schema.$defs : {}), ...defs };
  return out;
}

/** `petstore.` from a title, for asset ids when no --prefix is given. */
export function defaultPrefix(doc: Obj): string {
  const title = isObject(doc.info) && typeof doc.info.title === 'string' ? slugOf(doc.info.title, 60) : '';
  return title ? `${title}.` : '';
}

export function isOpenApiDocument(value: unknown): value is Obj {
  return isObject(value) && (typeof value.openapi === 'string' || typeof value.swagger === 'string');
}

/**
 * The schemas to publish: every component, or with `operation` the JSON
 * response schema (the first 2xx, else `default`) of the operation with that
 * operationId. The caller checks each derived asset id.
 */
export function importOpenApi(value: unknown, source: string, opts: { prefix?: string; operation?: string }): OpenApiImport {
  if (!isOpenApiDocument(value)) throw schemaInputError(source, 'is not an OpenAPI document (no "openapi" field)', 'pass an OpenAPI 3.0 or 3.1 document (JSON or YAML)');
  const version = String(value.openapi ?? value.swagger);
  const m = /^3\.(0|1)\.\d+$/.exec(version);
  if (!m) throw schemaInputError(source, `is OpenAPI/Swagger ${quote(version)}; Tessera reads OpenAPI 3.0 and 3.1`, 'convert it to OpenAPI 3 first (e.g. with swagger2openapi)');
  eachRef(value, '', (ref, at) => {
    if (!ref.startsWith('#')) throw schemaInputError(source, `${at} has a remote $ref ${quote(ref)}; Tessera never fetches references`, 'bundle the document into one file first (e.g. redocly bundle), so every $ref starts with #');
  });
  const oas30 = m[1] === '0';
  const prefix = opts.prefix ?? defaultPrefix(value);
  const title = isObject(value.info) && typeof value.info.title === 'string' ? value.info.title : undefined;
  const make = (name: string, root: unknown): OpenApiSchema => {
    const schema = standalone(value, root, source, oas30);
    const description = typeof schema.description === 'string' ? schema.description : typeof schema.title === 'string' ? schema.title : undefined;
    return { name, asset: `${prefix}${slugOf(name, 120)}`, schema, ...(description ? { description } : {}) };
  };
  if (opts.operation !== undefined) {
    const op = findOperation(value, opts.operation);
    if (!op) throw new InputError(`${source}: has no operation with operationId ${quote(opts.operation)}`, `use one of: ${operationIds(value).join(', ') || '(none declared)'}`);
    const schema = responseSchema(op, value);
    if (schema === undefined) throw new InputError(`${source}: operation ${quote(opts.operation)} has no response schema (2xx or default, with content)`, 'pick an operation that returns a body');
    return { version, ...(title ? { title } : {}), schemas: [make(opts.operation, schema)] };
  }
  const components = isObject(value.components) && isObject(value.components.schemas) ? value.components.schemas : {};
  const names = Object.keys(components);
  if (names.length === 0) throw new InputError(`${source}: has no components.schemas`, 'name an operation with --operation to publish its response schema');
  return { version, ...(title ? { title } : {}), schemas: names.map((n) => make(n, components[n])) };
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function operations(doc: Obj): Array<[string, Obj]> {
  const out: Array<[string, Obj]> = [];
  const paths = isObject(doc.paths) ? doc.paths : {};
  for (const item of Object.values(paths)) {
    if (!isObject(item)) continue;
    for (const m of METHODS) {
      const op = item[m];
      if (isObject(op) && typeof op.operationId === 'string') out.push([op.operationId, op]);
    }
  }
  return out;
}

const operationIds = (doc: Obj): string[] => operations(doc).map(([id]) => id);
const findOperation = (doc: Obj, id: string): Obj | undefined => operations(doc).find(([opId]) => opId === id)?.[1];

function responseSchema(op: Obj, doc: Obj): unknown {
  const responses = isObject(op.responses) ? op.responses : {};
  const codes = [...Object.keys(responses).filter((c) => /^2(\d\d|XX)$/i.test(c)).sort(), ...('default' in responses ? ['default'] : [])];
  for (const code of codes) {
    let r = responses[code];
    if (isObject(r) && typeof r.$ref === 'string') {
      const t = resolvePointer(doc, decodeURIComponent(r.$ref.slice(1)));
      r = t.found ? t.value : undefined;
    }
    if (!isObject(r) || !isObject(r.content)) continue;
    const content = r.content;
    const type = Object.keys(content).find((t) => /json/i.test(t)) ?? Object.keys(content)[0];
    const media = type !== undefined ? content[type] : undefined;
    if (isObject(media) && media.schema !== undefined) return media.schema;
  }
  return undefined;
}
