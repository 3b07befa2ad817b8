/**
 * A Tessera contract document wraps a schema with what the registry stores
 * beside it: `{schema, guarantees?, compatibility_mode?, content_model?}`.
 * Registry version files have the same shape, so `tessera diff` accepts them
 * directly.
 */
import type { Guarantee } from '../model.js';
import { CONTENT_MODELS, MODES, type ContentModel, type Mode } from '../diff/types.js';
import { quote, schemaInputError } from './problem.js';
import { isObject } from './walk.js';

export interface Unwrapped {
  /** The JSON Schema (unvalidated at this point). */
  schema: unknown;
  /** True when the input was a contract document rather than a bare schema. */
  contract: boolean;
  guarantees?: Guarantee[];
  mode?: Mode;
  contentModel?: ContentModel;
}

/**
 * Heuristic: a top-level `schema` object, and none of the keywords that make
 * the top level itself a schema (`type`, `properties`). A JSON Schema may
 * legally have a property called "schema", but then it has `properties` too.
 */
export function isContractDocument(value: unknown): boolean {
  if (!isObject(value)) return false;
  const inner = value.schema;
  return (isObject(inner) || typeof inner === 'boolean') && !('type' in value) && !('properties' in value);
}

export function unwrapContract(value: unknown, source: string): Unwrapped {
  if (!isContractDocument(value)) return { schema: value, contract: false };
  const doc = value as Record<string, unknown>;
  const out: Unwrapped = { schema: doc.schema, contract: true };

  const mode = doc.compatibility_mode;
  if (mode !== undefined) {
    if (typeof mode !== 'string' || !(MODES as readonly string[]).includes(mode)) {
      throw schemaInputError(source, `compatibility_mode ${quote(String(mode))} is not a mode`, `use one of: ${MODES.join(', ')}`);
    }
    out.mode = mode as Mode;
  }
  const cm = doc.content_model;
  if (cm !== undefined) {
    if (typeof cm !== 'string' || !(CONTENT_MODELS as readonly string[]).includes(cm)) {
      throw schemaInputError(source, `content_model ${quote(String(cm))} is not a content model`, `use one of: ${CONTENT_MODELS.join(', ')}`);
    }
    out.contentModel = cm as ContentModel;
  }
  const g = doc.guarantees;
  if (g !== undefined) {
    // Only the shape diffing relies on; publish re-validates against the registry model.
    if (!Array.isArray(g)) throw schemaInputError(source, 'guarantees must be a list', 'write guarantees as a YAML/JSON list of {kind, column, ...}');
    g.forEach((item, i) => {
      if (!isObject(item) || typeof item.kind !== 'string' || item.kind === '') {
        throw schemaInputError(source, `guarantees/${i} needs a "kind" (e.g. not_null, unique, accepted_values)`, 'give every guarantee a kind');
      }
    });
    out.guarantees = g as Guarantee[];
  }
  return out;
}
