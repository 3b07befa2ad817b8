/**
 * Telling an Avro schema from a JSON Schema without loading avsc: the CLI
 * asks this of every schema it reads, and only Avro ones pay for the parser.
 */
import { isObject } from '../schema/walk.js';

/** Avro schema files. */
export const AVRO_FILE = /\.avsc$/i;

/** A bare Avro record schema (JSON Schema has no "record" type, so this never misreads one). */
export function looksLikeAvro(value: unknown): boolean {
  return isObject(value) && (value.type === 'record' || value.type === 'error') && Array.isArray(value.fields);
}

/** A contract document or registry version file that carries an Avro schema (`format: avro`, `avro: ...`). */
export function isAvroDocument(value: unknown): value is Record<string, unknown> {
  return isObject(value) && value.format === 'avro' && 'avro' in value;
}
