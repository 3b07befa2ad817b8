// The shape OpenAPI generators emit for a recursive tagged union: n
// definitions, each an object whose fields hold a oneOf of $refs to all n
// (inline, not behind a shared definition). Before pair memoisation the diff
// engine took time exponential in n on it (58 s for 7 types).

/**
 * @param {number} n number of definitions (types)
 * @param {{ change?: 'narrow' | 'widen', at?: number }} [opts] an optional one-field change in type `at` (default: the last)
 */
export function recursiveUnion(n, opts = {}) {
  const union = () => ({ oneOf: Array.from({ length: n }, (_, j) => ({ $ref: `#/definitions/T${j}` })) });
  const definitions = {};
  for (let i = 0; i < n; i++) {
    definitions[`T${i}`] = {
      type: 'object',
      properties: {
        kind: { type: 'string', const: `T${i}` },
        label: { type: 'string', maxLength: 40 },
        value: union(),
        children: { type: 'array', items: union() },
      },
      required: ['kind'],
    };
  }
  const at = opts.at ?? n - 1;
  if (opts.change === 'narrow') definitions[`T${at}`].properties.label.maxLength = 20;
  if (opts.change === 'widen') definitions[`T${at}`].properties.label.maxLength = 80;
  return { $schema: 'http://json-schema.org/draft-07/schema#', definitions, ...union() };
}
