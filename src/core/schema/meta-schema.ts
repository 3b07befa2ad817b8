/**
 * Validation of a document against its draft's meta-schema with ajv (which
 * meta-schema, and where it comes from: meta-sources.ts).
 * ajv is slow to load and each meta-schema compiles in ~50 ms, so the build
 * precompiles them (dist/meta/); otherwise both happen lazily, only for the
 * draft a document declares, and are cached.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Draft } from './draft.js';
import { schemaInputError } from './problem.js';
import { forEachSubschema } from './walk.js';
import { compileMeta, type MetaKind } from './meta-sources.js';

type MetaValidator = ValidateFunction;

const cache = new Map<MetaKind, Promise<MetaValidator>>();

// ajv and the precompiled validators are CommonJS, loaded with require(): the
// bundled CLI runs as a script with a V8 code cache, where import() is unavailable.
const require = createRequire(import.meta.url);

/**
 * The validators precompiled at build time (scripts/gen-meta-validators.mjs)
 * live in dist/meta/, beside whichever build (modules or bundle) runs.
 */
async function precompiled(kind: MetaKind): Promise<MetaValidator | undefined> {
  const here = fileURLToPath(import.meta.url);
  const at = here.lastIndexOf(`${path.sep}dist${path.sep}`);
  if (at < 0) return undefined;
  try {
    return (require(path.join(here.slice(0, at), 'dist', 'meta', `validate-${kind}.cjs`)) as { default: MetaValidator }).default;
  } catch {
    return undefined;
  }
}

async function metaValidator(kind: MetaKind): Promise<MetaValidator> {
  let hit = cache.get(kind);
  if (!hit) {
    hit = (async () => (await precompiled(kind)) ?? compileMeta(kind).validate)();
    cache.set(kind, hit);
  }
  return hit;
}

/**
 * ajv 8 ships no draft-04 meta-schema. It is close to draft-07 except
 * draft-04's boolean exclusiveMinimum/exclusiveMaximum, so those documents
 * are checked against draft-07 with the boolean forms removed from a copy.
 */
function asDraft07(schema: unknown): unknown {
  const copy: unknown = structuredClone(schema);
  forEachSubschema(copy, (node) => {
    if (typeof node.exclusiveMinimum === 'boolean') delete node.exclusiveMinimum;
    if (typeof node.exclusiveMaximum === 'boolean') delete node.exclusiveMaximum;
  });
  return copy;
}

const KIND: Record<Draft, MetaKind> = { 'draft-04': '04', 'draft-06': '06', 'draft-07': '07', '2019-09': '2019', '2020-12': '2020' };

export async function validateMetaSchema(schema: unknown, draft: Draft, source: string): Promise<void> {
  const validate = await metaValidator(KIND[draft]);
  const subject = draft === 'draft-04' ? asDraft07(schema) : schema;
  if (validate(subject)) return;
  const err = pickError(validate.errors ?? []);
  const where = err && err.instancePath !== '' ? err.instancePath : '(root)';
  const what = err ? describe(err) : 'does not match the meta-schema';
  throw schemaInputError(source, `is not a valid ${draft} JSON Schema: ${where} ${what} (keyword ${err?.keyword ?? '?'})`, `fix ${where}: the ${draft} meta-schema defines what each keyword accepts`);
}

/** The deepest error explains most: `anyOf` wrappers are reported at their parent. */
function pickError(errors: ErrorObject[]): ErrorObject | undefined {
  let best: ErrorObject | undefined;
  for (const e of errors) {
    if (!best || depthOf(e.instancePath) > depthOf(best.instancePath)) best = e;
  }
  return best;
}

function depthOf(pointer: string): number {
  return pointer === '' ? 0 : pointer.split('/').length;
}

function describe(e: ErrorObject): string {
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    return `must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return e.message ?? 'is invalid';
}
