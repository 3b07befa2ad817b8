/**
 * Schema operands of `tessera diff` (and later `publish`, `check`): a file
 * path, `-` for stdin, or `asset@1.2.0` from the registry. This is the I/O
 * half; src/core/schema does the parsing and validation.
 */
import { readFile, stat } from 'node:fs/promises';
import { InputError } from '../core/errors.js';
import { checkSize, formatFromName, MAX_SCHEMA_BYTES, parseSchemaText, unwrapContract, validateSchemaValue, type LoadedSchema, type TextFormat } from '../core/schema/index.js';
import { isOdcsDocument } from '../core/formats/index.js';
import { AVRO_FILE, isAvroDocument, looksLikeAvro } from '../core/avro/detect.js';
import type { AvroContract } from '../core/avro/load.js';
import { loadOdcs, type OdcsLoaded } from './contract-formats.js';

export const STDIN_OPERAND = '-';
export const STDIN_SOURCE = '<stdin>';

/** `orders@1.2.0`: no path separator, an exact semver after the @. */
export const REGISTRY_OPERAND = /^[^/\\]+@\d+\.\d+\.\d+$/;

export interface LoadedOperand extends LoadedSchema {
  /** The file the schema came from, for annotations (`::error file=...`); absent for stdin and the registry. */
  file?: string;
  /** An ODCS document: its mapping; schema and guarantees above are its first (or --object's) object's. */
  odcs?: OdcsLoaded;
  /** An Avro contract (a .avsc file, Avro JSON, or a document with `format: avro`); `schema` is then its column view. */
  avro?: AvroContract;
}

/**
 * EXTENSION POINT (registry operands). `tessera publish` brings the registry;
 * its command passes a resolver here that reads the version file of
 * `asset@version` and returns the validated schema (e.g. via
 * validateSchemaValue(versionFile, `${asset}@${version}`)). Until then a
 * registry operand is refused with a message that says so.
 */
export type RegistryOperandResolver = (asset: string, version: string) => Promise<LoadedSchema>;

export interface OperandOptions {
  stdin?: NodeJS.ReadableStream;
  registry?: RegistryOperandResolver;
  /** The ODCS schema object to read (`--object`). */
  odcsObject?: string;
  /** The caller takes every object of an ODCS contract (publish, check); otherwise a contract must hold one. */
  odcsAll?: boolean;
}

export async function loadSchemaOperand(operand: string, opts: OperandOptions = {}): Promise<LoadedOperand> {
  const read = await readOperandText(operand, opts);
  if (read === undefined) return loadRegistryOperand(operand, opts);
  const loaded = await loadText(read.text, read.source, operand === STDIN_OPERAND ? 'auto' : formatFromName(operand), opts, operand !== STDIN_OPERAND && AVRO_FILE.test(operand));
  return read.file ? { ...loaded, file: read.file } : loaded;
}

/** The text of a file or stdin operand, size-checked; undefined for an `asset@x.y.z` that is no file. */
export async function readOperandText(operand: string, opts: Pick<OperandOptions, 'stdin'> = {}): Promise<{ text: string; source: string; file?: string } | undefined> {
  if (operand === STDIN_OPERAND) return { text: await readStdin(opts.stdin ?? process.stdin), source: STDIN_SOURCE };
  const info = await stat(operand).catch((err: NodeJS.ErrnoException) => err);
  if (info instanceof Error) {
    if (info.code === 'ENOENT' && REGISTRY_OPERAND.test(operand)) return undefined;
    throw fileError(operand, info);
  }
  if (info.isDirectory()) throw new InputError(`${operand}: is a directory, not a schema file`, 'pass a .json or .yaml file');
  if (!info.isFile()) throw new InputError(`${operand}: is not a regular file`, 'pass a .json or .yaml file, or - for stdin');
  // Refuse before reading: a huge file must not be pulled into memory first.
  checkSize(info.size, operand);
  const text = await readFile(operand, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw fileError(operand, err);
  });
  return { text, source: operand, file: operand };
}

/**
 * A JSON Schema or contract document, an ODCS contract (detected by content:
 * `kind: DataContract`), or Avro: a .avsc file, or any document that reads as
 * an Avro record or says `format: avro`. The same size, depth and alias
 * limits hold for all of them (parseSchemaText), before any is read further.
 */
async function loadText(text: string, source: string, format: TextFormat, opts: OperandOptions, avroFile: boolean): Promise<LoadedOperand> {
  const value = parseSchemaText(text, source, format);
  if (avroFile || looksLikeAvro(value) || isAvroDocument(value)) return loadAvroOperand(value, source);
  if (!isOdcsDocument(value)) return validateSchemaValue(value, source);
  const odcs = await loadOdcs(value, source, opts.odcsObject);
  const objects = odcs.mapping.objects;
  if (objects.length > 1 && !opts.odcsAll) {
    throw new InputError(`${source}: is an ODCS contract of ${objects.length} schema objects (${objects.map((o) => o.name).join(', ')}), and this compares one`, 'publish or check it (one asset per object), or keep one object in the file');
  }
  const first = objects[0]!;
  return { ...odcs.schemas[0]!, source, contract: true, guarantees: first.guarantees, odcs };
}

/**
 * An Avro operand: a bare schema, or a contract document / registry version
 * file `{format: avro, avro: <schema>, guarantees?, compatibility_mode?}`.
 * avsc loads only here, when an Avro schema is actually read.
 */
export async function loadAvroOperand(value: unknown, source: string): Promise<LoadedOperand> {
  const { loadAvroValue } = await import('../core/avro/load.js');
  if (!isAvroDocument(value)) {
    const avro = loadAvroValue(value, source);
    return { schema: avro.view, draft: 'draft-07', contract: false, source, avro };
  }
  // The document's own settings are checked as a JSON Schema contract's are.
  const { schema: _view, ...settings } = unwrapContract({ ...value, schema: {} }, source);
  const avro = loadAvroValue(value.avro, source);
  return { ...settings, contract: true, schema: avro.view, draft: 'draft-07', source, avro };
}

/** Both operands of a comparison; stdin can feed only one of them. */
export async function loadSchemaOperands(operands: readonly string[], opts: OperandOptions = {}): Promise<LoadedOperand[]> {
  if (operands.filter((o) => o === STDIN_OPERAND).length > 1) {
    throw new InputError('only one operand can be - (stdin)', 'write the other schema to a file');
  }
  // Sequential on purpose: the first bad operand is the one reported, every time.
  const out: LoadedOperand[] = [];
  for (const o of operands) out.push(await loadSchemaOperand(o, opts));
  return out;
}

async function loadRegistryOperand(operand: string, opts: OperandOptions): Promise<LoadedOperand> {
  const at = operand.lastIndexOf('@');
  const asset = operand.slice(0, at);
  const version = operand.slice(at + 1);
  if (!opts.registry) throw new InputError(`${operand}: no such file`, 'check the path');
  return opts.registry(asset, version);
}

function fileError(path: string, err: NodeJS.ErrnoException): InputError {
  switch (err.code) {
    case 'ENOENT':
      return new InputError(`${path}: no such file`, 'check the path');
    case 'EACCES':
    case 'EPERM':
      return new InputError(`${path}: cannot be read (permission denied)`, 'check the file permissions');
    case 'EISDIR':
      return new InputError(`${path}: is a directory, not a schema file`, 'pass a .json or .yaml file');
    default:
      return new InputError(`${path}: cannot be read (${err.code ?? err.message})`, 'check the path');
  }
}

async function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    // Stop reading as soon as the limit is passed rather than buffering all of it.
    if (size > MAX_SCHEMA_BYTES) checkSize(size, STDIN_SOURCE);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}
