/**
 * Schema-aware traversal: visits every subschema, and only subschemas, so a
 * property *named* "$ref" or a `$ref` key inside `enum`/`const`/`default`
 * data is never mistaken for a reference.
 */

type Obj = Record<string, unknown>;

const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'] as const;
const SCHEMA_SINGLES = [
  'additionalProperties', 'additionalItems', 'unevaluatedItems', 'unevaluatedProperties', 'propertyNames',
  'contains', 'not', 'if', 'then', 'else', 'contentSchema',
] as const;
const SCHEMA_ARRAYS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const;

export function isObject(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function escapePointerSegment(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Calls `visit` for each object subschema, parents first. `visit` returns the
 * state handed to that node's children (e.g. the base URI in effect).
 */
export function forEachSubschema<S>(root: unknown, visit: (node: Obj, pointer: string, state: S) => S, initial: S): void;
export function forEachSubschema(root: unknown, visit: (node: Obj, pointer: string) => void): void;
export function forEachSubschema<S>(root: unknown, visit: (node: Obj, pointer: string, state: S) => S | void, initial?: S): void {
  const stack: Array<[unknown, string, S | undefined]> = [[root, '', initial]];
  while (stack.length > 0) {
    const [node, pointer, state] = stack.pop() as [unknown, string, S | undefined];
    if (!isObject(node)) continue;
    const next = (visit(node, pointer, state as S) ?? state) as S | undefined;
    // Collected, then pushed in reverse, so nodes pop in document order and errors name the first culprit.
    const children: Array<[unknown, string, S | undefined]> = [];
    const push = (child: unknown, p: string) => {
      if (isObject(child)) children.push([child, p, next]);
    };
    for (const key of SCHEMA_MAPS) {
      const map = node[key];
      if (isObject(map)) for (const [k, v] of Object.entries(map)) push(v, `${pointer}/${key}/${escapePointerSegment(k)}`);
    }
    for (const key of SCHEMA_SINGLES) push(node[key], `${pointer}/${key}`);
    for (const key of SCHEMA_ARRAYS) {
      const arr = node[key];
      if (Array.isArray(arr)) arr.forEach((v, i) => push(v, `${pointer}/${key}/${i}`));
    }
    const items = node.items;
    if (Array.isArray(items)) items.forEach((v, i) => push(v, `${pointer}/items/${i}`));
    else push(items, `${pointer}/items`);
    // draft-07 `dependencies`: a schema, or an array of property names.
    const deps = node.dependencies;
    if (isObject(deps)) for (const [k, v] of Object.entries(deps)) push(v, `${pointer}/dependencies/${escapePointerSegment(k)}`);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as [unknown, string, S | undefined]);
  }
}
