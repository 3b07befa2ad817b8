/**
 * Schema input: text in, a validated JSON Schema value out. Pure (no file
 * or network access): the CLI and the registry read bytes and hand them here.
 *
 *   parse (JSON or YAML, size/depth/alias limits)
 *   -> unwrap a contract document
 *   -> validate against the declared draft's meta-schema
 *   -> check that every $ref is local and resolves
 */
import type { JsonSchema } from '../diff/types.js';
import { unwrapContract, type Unwrapped } from './contract.js';
import { draftOf, type Draft } from './draft.js';
import { validateMetaSchema } from './meta-schema.js';
import { parseSchemaText, type TextFormat } from './parse.js';
import { quote, schemaInputError } from './problem.js';
import { checkRefs } from './refs.js';
import { isObject } from './walk.js';

export { MAX_NESTING_DEPTH, MAX_SCHEMA_BYTES, MAX_YAML_ALIASES } from './limits.js';
export { checkSize, formatFromName, parseSchemaText, type TextFormat } from './parse.js';
export { isContractDocument, unwrapContract, type Unwrapped } from './contract.js';
export { draftOf, type Draft } from './draft.js';
export { checkRefs, resolvePointer } from './refs.js';

export interface LoadedSchema extends Omit<Unwrapped, 'schema'> {
  schema: JsonSchema;
  draft: Draft;
  /** Display name used in messages: a path, `<stdin>`, `asset@1.2.0`. */
  source: string;
}

/** Validate an already-parsed value (e.g. a schema read from the registry or a dbt manifest). */
export async function validateSchemaValue(value: unknown, source: string): Promise<LoadedSchema> {
  const unwrapped = unwrapContract(value, source);
  const schema = unwrapped.schema;
  if (typeof schema !== 'boolean' && !isObject(schema)) {
    const kind = Array.isArray(schema) ? 'a list' : schema === null ? 'null' : `a ${typeof schema}`;
    throw schemaInputError(source, `is ${kind}, not a JSON Schema (expected an object such as {"type": "object", ...})`, 'a schema file holds one JSON Schema object');
  }
  const draft = draftOf(schema);
  if (draft === undefined) {
    const declared = (schema as Record<string, unknown>).$schema;
    throw schemaInputError(source, `declares an unsupported $schema ${quote(String(declared))}`, 'declare draft-07, 2019-09 or 2020-12 in $schema, e.g. "https://json-schema.org/draft/2020-12/schema", or leave $schema out for draft-07');
  }
  await validateMetaSchema(schema, draft, source);
  checkRefs(schema, source, draft === 'draft-04');
  return { ...unwrapped, schema, draft, source };
}

export async function loadSchemaText(text: string, source: string, format: TextFormat = 'auto'): Promise<LoadedSchema> {
  return validateSchemaValue(parseSchemaText(text, source, format), source);
}
