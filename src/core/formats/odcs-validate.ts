/**
 * ODCS documents are checked against the official JSON Schema of the
 * standard (schemas/odcs/, vendored byte for byte; docs/formats.md) before
 * anything is mapped. The adapter reads the schema file and passes its value:
 * this module stays pure.
 *
 * Which schema: the one of the document's own release (v3.0.x -> v3.0.2,
 * v3.1.0 -> v3.1.0). Upstream's CI validates every example, v3.0.x ones too,
 * against v3.1.0, whose apiVersion enum lists v3.0.0-v3.0.2; so a v3.0.x
 * document that fails v3.0.2 but passes v3.1.0 is accepted, with a notice.
 * Formats (uri, date) are not checked: upstream uses ajv-formats, which is
 * not a dependency of Tessera.
 */
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { quote, schemaInputError } from '../schema/problem.js';
import { isObject } from '../schema/walk.js';

export const ODCS_SCHEMA_RELEASES = ['v3.0.2', 'v3.1.0'] as const;
export type OdcsSchemaRelease = (typeof ODCS_SCHEMA_RELEASES)[number];
/** What Tessera writes (export) and falls back to. */
export const ODCS_CURRENT: OdcsSchemaRelease = 'v3.1.0';

/** apiVersion -> the official schema that defines it. */
const RELEASE_OF: Record<string, OdcsSchemaRelease> = { 'v3.0.0': 'v3.0.2', 'v3.0.1': 'v3.0.2', 'v3.0.2': 'v3.0.2', 'v3.1.0': 'v3.1.0' };

export const odcsSchemaFile = (release: OdcsSchemaRelease): string => `odcs-json-schema-${release}.json`;

/** `kind: DataContract` with an apiVersion: detected by content, whatever the file is called. */
export function isOdcsDocument(value: unknown): value is Record<string, unknown> {
  return isObject(value) && value.kind === 'DataContract';
}

/** The schema release a document is validated against; refuses an apiVersion Tessera does not read. */
export function odcsReleaseOf(doc: Record<string, unknown>, source: string): OdcsSchemaRelease {
  const v = doc.apiVersion;
  const release = typeof v === 'string' ? RELEASE_OF[v] : undefined;
  if (!release) {
    throw schemaInputError(source, `is an ODCS document of apiVersion ${quote(String(v))}, which Tessera does not read`, `use apiVersion ${Object.keys(RELEASE_OF).join(', ')} (ODCS v3)`);
  }
  return release;
}

const require = createRequire(import.meta.url);
const compiled = new Map<OdcsSchemaRelease, ValidateFunction>();

function validator(release: OdcsSchemaRelease, schema: unknown): ValidateFunction {
  let v = compiled.get(release);
  if (!v) {
    // The official schemas declare draft 2019-09; ajv is CommonJS and loaded only when an ODCS document is read.
    const Ajv2019 = (require('ajv/dist/2019') as { default: new (o: object) => { compile(s: object): ValidateFunction } }).default;
    v = new Ajv2019({ strict: false, allErrors: true, validateFormats: false }).compile(schema as object);
    compiled.set(release, v);
  }
  return v;
}

export type SchemaLoader = (release: OdcsSchemaRelease) => unknown;

export interface OdcsValidation {
  release: OdcsSchemaRelease;
  notices: string[];
}

/** Throws a one-line InputError naming the first failing path; `load` gives the official schema's value. */
export function validateOdcs(doc: Record<string, unknown>, source: string, load: SchemaLoader): OdcsValidation {
  const release = odcsReleaseOf(doc, source);
  const apiVersion = String(doc.apiVersion);
  const first = validator(release, load(release));
  if (first(doc)) return { release, notices: [] };
  const problem = describeErrors(first.errors ?? []);
  if (release !== ODCS_CURRENT && validator(ODCS_CURRENT, load(ODCS_CURRENT))(doc)) {
    return { release: ODCS_CURRENT, notices: [`${source}: not valid under the ${release} schema (${problem}), but valid under ${ODCS_CURRENT}, which reads ${apiVersion} documents: read as ${ODCS_CURRENT}`] };
  }
  throw schemaInputError(source, `is not a valid ODCS ${apiVersion} document: ${problem}`, `fix that path; the official ODCS ${release} JSON Schema defines it`);
}

/** Validate a document Tessera wrote (export) against the current schema; the message lists what failed. */
export function odcsErrors(doc: unknown, load: SchemaLoader): string | undefined {
  const v = validator(ODCS_CURRENT, load(ODCS_CURRENT));
  return v(doc) ? undefined : describeErrors(v.errors ?? []);
}

/**
 * The deepest error names the real culprit (oneOf/if-then wrappers report at
 * their parent); ties go to the first reported.
 */
function describeErrors(errors: ErrorObject[]): string {
  let best: ErrorObject | undefined;
  for (const e of errors) if (!best || depth(e.instancePath) > depth(best.instancePath)) best = e;
  if (!best) return 'does not match the schema';
  const where = best.instancePath === '' ? '(root)' : best.instancePath;
  const params = best.params as Record<string, unknown>;
  let what = best.message ?? 'is invalid';
  if (best.keyword === 'enum' && Array.isArray(params.allowedValues)) what = `must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  if (best.keyword === 'unevaluatedProperties' || best.keyword === 'additionalProperties') {
    const key = params.unevaluatedProperty ?? params.additionalProperty;
    if (typeof key === 'string') what = `has the unknown field ${quote(key)}`;
  }
  return `${where} ${what}`;
}

const depth = (p: string): number => (p === '' ? 0 : p.split('/').length);
