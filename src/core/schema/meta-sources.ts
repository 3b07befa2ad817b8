/**
 * The meta-schemas Tessera validates documents against, one per draft, and
 * how each is compiled with ajv. Shared by the build
 * (scripts/gen-meta-validators.mjs precompiles them into dist/meta/) and the
 * run-time fallback in meta-schema.ts, so both judge alike.
 *
 * Sources. ajv bundles copies of the draft-06 and draft-07 meta-schemas
 * (ajv/dist/refs/json-schema-draft-0{6,7}.json); they match the official
 * texts (json-schema-org/json-schema-spec, branches draft-06 and draft-07,
 * schema.json, served at http://json-schema.org/draft-0{6,7}/schema) except
 * that the official draft-07 text also declares `writeOnly` (a boolean),
 * added back here, and the official draft-06 text puts `propertyNames:
 * {format: regex}` under patternProperties, which nothing checks (no format
 * plugin is loaded; formats are not validated in meta-schemas). 2019-09 and 2020-12 are ajv's copies of the
 * official vocabulary meta-schemas.
 *
 * One deliberate departure: the draft-06/07 meta-schemas say `enum` needs
 * `minItems: 1` and `uniqueItems: true`, while the draft-06 and draft-07
 * validation specifications (section "enum") say the array only SHOULD have
 * an element and SHOULD hold unique values: an empty enum (accepts nothing)
 * and duplicates are legal. The spec authors recognised the meta-schemas as
 * wrong (json-schema-spec issue #717) and fixed them from 2019-09 on (commit
 * 003d885, meta/validation.json), but the published draft-06/07 files were
 * never updated. The prose is normative, so both constraints are dropped for
 * draft-06 and draft-07 (and documents without $schema, read as draft-07).
 * Draft-04's prose says MUST, so draft-04 keeps them.
 */
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';

export type MetaKind = '04' | '06' | '07' | '2019' | '2020';

const require = createRequire(import.meta.url);

type AjvLike = { getSchema(id: string): ValidateFunction | undefined; compile(schema: object): ValidateFunction; addMetaSchema(schema: object): unknown };

/** Our copy's identifier: the official $id is already taken inside ajv by its stock copy. */
const relaxedId = (kind: '06' | '07'): string => `https://tessera.invalid/meta/draft-${kind}`;

function relaxed(kind: '06' | '07'): object {
  const source = require(`ajv/dist/refs/json-schema-draft-${kind}.json`) as { properties: Record<string, unknown> };
  const copy = structuredClone(source) as { $id?: string; properties: Record<string, Record<string, unknown>> };
  copy.$id = relaxedId(kind);
  const en = { ...copy.properties.enum! };
  delete en.minItems;
  delete en.uniqueItems;
  copy.properties.enum = en;
  if (kind === '07' && !('writeOnly' in copy.properties)) copy.properties.writeOnly = { type: 'boolean', default: false };
  return copy;
}

/**
 * An ajv instance and the meta-schema validator for one kind. `code` is
 * passed to ajv (the build asks for standalone source). strict:false: real
 * schemas carry vendor keywords (x-*, dbt meta) that are legal JSON Schema.
 */
export function compileMeta(kind: MetaKind, code?: Record<string, unknown>): { ajv: AjvLike; validate: ValidateFunction } {
  // Our draft-06/07 copies compile as ordinary schemas: their formats (uri, regex) are not checked, as in ajv's own meta-schemas.
  const formats = kind === '06' || kind === '07' ? { validateFormats: false } : {};
  const opts = { strict: false, allErrors: true, ...formats, ...(code ? { code } : {}) };
  if (kind === '2020') {
    const { Ajv2020 } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
    const ajv = new Ajv2020(opts) as unknown as AjvLike;
    return { ajv, validate: mustGet(ajv, 'https://json-schema.org/draft/2020-12/schema') };
  }
  if (kind === '2019') {
    const { Ajv2019 } = require('ajv/dist/2019.js') as typeof import('ajv/dist/2019.js');
    const ajv = new Ajv2019(opts) as unknown as AjvLike;
    return { ajv, validate: mustGet(ajv, 'https://json-schema.org/draft/2019-09/schema') };
  }
  const { Ajv } = require('ajv') as typeof import('ajv');
  const ajv = new Ajv(opts) as unknown as AjvLike;
  // Draft-04 documents are checked against the stock draft-07 text (with their boolean bounds removed, see meta-schema.ts).
  if (kind === '04') return { ajv, validate: mustGet(ajv, 'http://json-schema.org/draft-07/schema') };
  if (kind === '06') ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
  return { ajv, validate: ajv.compile(relaxed(kind)) };
}

function mustGet(ajv: AjvLike, id: string): ValidateFunction {
  const v = ajv.getSchema(id);
  if (!v) throw new Error(`ajv has no meta-schema ${id}`);
  return v;
}
