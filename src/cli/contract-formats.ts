/**
 * The I/O half of the contract formats (src/core/formats): reading the
 * vendored official ODCS schemas, OpenAPI files, and rendering the mapping
 * summary `publish` and `check` print before anything is written.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, RegistryError, TesseraError } from '../core/errors.js';
import { importOpenApi, mapOdcs, odcsSchemaFile, validateOdcs, type OdcsMapping, type OdcsSchemaRelease, type OpenApiImport, type SchemaLoader } from '../core/formats/index.js';
import { checkAssetId } from '../core/paths.js';
import { formatFromName, parseSchemaText, validateSchemaValue, type LoadedSchema } from '../core/schema/index.js';
import { readOperandText } from './schema-operand.js';

/** schemas/odcs/ of the installed package: beside whichever build (dist/cli or dist/bundle) runs. */
function packageRoot(): string {
  const here = fileURLToPath(import.meta.url);
  const at = here.lastIndexOf(`${path.sep}dist${path.sep}`);
  return at >= 0 ? here.slice(0, at) : path.resolve(path.dirname(here), '..', '..');
}

export const odcsSchemaPath = (release: OdcsSchemaRelease): string => path.join(packageRoot(), 'schemas', 'odcs', odcsSchemaFile(release));

export const loadOdcsSchema: SchemaLoader = (release) => {
  const file = odcsSchemaPath(release);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (err) {
    throw new RegistryError(`the official ODCS ${release} schema is missing or unreadable at ${file} (${(err as NodeJS.ErrnoException).code ?? 'invalid JSON'})`, 'reinstall tessera: the package ships schemas/odcs/');
  }
};

export interface OdcsLoaded {
  mapping: OdcsMapping;
  notices: string[];
  /** Each object's JSON Schema, checked like any schema Tessera reads. */
  schemas: LoadedSchema[];
}

/** Validate against the official schema, map, and check every JSON Schema the mapping made. */
export async function loadOdcs(value: Record<string, unknown>, source: string, object?: string): Promise<OdcsLoaded> {
  const { notices } = validateOdcs(value, source, loadOdcsSchema);
  const mapping = mapOdcs(value, source, object);
  const schemas: LoadedSchema[] = [];
  for (const o of mapping.objects) schemas.push(await validateSchemaValue(o.schema, `${source}#${o.name}`));
  return { mapping, notices, schemas };
}

export interface OpenApiLoaded {
  imported: OpenApiImport;
  schemas: LoadedSchema[];
  source: string;
  file?: string;
}

/** An OpenAPI file (or - for stdin): every schema it gives, each with a checked asset id and a checked JSON Schema. */
export async function loadOpenApi(operand: string, opts: { prefix?: string; operation?: string }): Promise<OpenApiLoaded> {
  const read = await readOperandText(operand);
  if (!read) throw new InputError(`${operand}: no such file`, 'pass the OpenAPI document to --from-openapi');
  const imported = importOpenApi(parseSchemaText(read.text, read.source, formatFromName(operand)), read.source, opts);
  const schemas: LoadedSchema[] = [];
  for (const s of imported.schemas) {
    try {
      checkAssetId(s.asset);
    } catch (err) {
      if (!(err instanceof TesseraError)) throw err;
      throw new InputError(`${read.source}: ${s.name} makes the ${err.message}`, 'choose the ids with --prefix, e.g. --prefix petstore.');
    }
    schemas.push(await validateSchemaValue(s.schema, `${read.source}#${s.name}`));
  }
  return { imported, schemas, source: read.source, ...(read.file ? { file: read.file } : {}) };
}

export interface PlannedAsset {
  from: string;
  asset: string;
  columns?: number;
  guarantees: number;
}

export interface MappingSummary {
  format: 'odcs' | 'openapi';
  source: string;
  /** ODCS apiVersion or OpenAPI version. */
  version: string;
  id?: string;
  assets: PlannedAsset[];
  owner?: { team: string; from: string; used: boolean; members: string[]; usernames: string[] };
  channels: Array<{ name: string; type: string; from: string; command: string }>;
  not_mapped: string[];
}

/** The team-add and channel-add commands that would set up what ODCS offers. */
export function odcsSummary(mapping: OdcsMapping, source: string, assets: PlannedAsset[], ownerGiven: string | undefined): MappingSummary {
  const team = ownerGiven ?? mapping.owner?.team ?? '<team>';
  return {
    format: 'odcs',
    source,
    version: mapping.apiVersion,
    ...(mapping.id ? { id: mapping.id } : {}),
    assets,
    ...(mapping.owner ? { owner: { ...mapping.owner, used: ownerGiven === undefined } } : {}),
    channels: mapping.channels.map((c) => ({
      name: c.name,
      type: c.type,
      from: c.from,
      command: `tessera channel add ${c.name} --type ${c.type} --team ${team}${c.to ? ` --to ${c.to}` : ''}`,
    })),
    not_mapped: mapping.notMapped,
  };
}

export function renderSummary(s: MappingSummary): string[] {
  const kind = s.format === 'odcs' ? `ODCS ${s.version} contract${s.id ? ` ${s.id}` : ''}` : `OpenAPI ${s.version} document`;
  const lines = [`${kind} (${s.source}): ${s.assets.length} ${s.assets.length === 1 ? 'asset' : 'assets'}`];
  for (const a of s.assets) lines.push(`  ${a.from} -> ${a.asset}${a.columns !== undefined ? `: ${a.columns} columns` : ''}, ${a.guarantees} guarantees`);
  if (s.owner) {
    lines.push(`  owner offered: ${s.owner.team} (from ${s.owner.from})${s.owner.used ? ', used for new assets' : ', not used: --owner was given'}`);
    const members = s.owner.members.map((m) => ` --member ${m}`).join('');
    lines.push(`    to create it: tessera team add ${s.owner.team}${members || ' --member <email>'}${s.owner.usernames.length ? `  (usernames without an email: ${s.owner.usernames.join(', ')})` : ''}`);
  }
  if (s.channels.length > 0) {
    lines.push('  notification channels offered (set the URL variable each names, then run):');
    for (const c of s.channels) lines.push(`    ${c.command}  (${c.from})`);
  }
  if (s.not_mapped.length > 0) {
    lines.push('  not mapped (kept in the contract under x-odcs, written back by export):');
    for (const n of s.not_mapped) lines.push(`    ${n}`);
  }
  return lines;
}
