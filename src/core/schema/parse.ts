/**
 * Text -> JSON value, for JSON and YAML schema documents. Pure: the caller
 * reads the file or stdin and passes the text with a display name.
 */
import { parseDocument } from 'yaml';
import { findTooDeep, textNestingEstimate } from './depth.js';
import { locateJsonError } from './json-error.js';
import { MAX_NESTING_DEPTH, MAX_SCHEMA_BYTES, MAX_YAML_ALIASES, formatBytes } from './limits.js';
import { oneLine, schemaInputError } from './problem.js';
import { lineColumn } from './text-position.js';

/** `auto` tries JSON first (fast) and falls back to YAML, a superset. */
export type TextFormat = 'json' | 'yaml' | 'auto';

export function formatFromName(name: string): TextFormat {
  const lower = name.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  return 'auto';
}

/** UTF-8 length without allocating an encoded copy of a multi-megabyte string. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export function checkSize(bytes: number, source: string): void {
  if (bytes > MAX_SCHEMA_BYTES) {
    throw schemaInputError(source, `is ${formatBytes(bytes)}, over the ${formatBytes(MAX_SCHEMA_BYTES)} limit for a schema`, 'split the schema or remove embedded data such as large enums and examples');
  }
}

export function parseSchemaText(text: string, source: string, format: TextFormat = 'auto'): unknown {
  if (text.length > MAX_SCHEMA_BYTES) checkSize(text.length, source);
  else if (text.length * 3 > MAX_SCHEMA_BYTES) checkSize(utf8Length(text), source);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw schemaInputError(source, 'is empty', 'a schema file holds one JSON or YAML document, e.g. {"type": "object"}');

  let value: unknown;
  if (format === 'yaml') {
    value = parseYaml(body, source);
  } else {
    try {
      value = JSON.parse(body);
    } catch {
      const looksJson = /^\s*[{[]/.test(body);
      if (format === 'json') throw jsonError(body, source);
      try {
        value = parseYaml(body, source);
      } catch (yamlErr) {
        // Text that opens like JSON gets JSON's diagnosis: it is what the author meant.
        throw looksJson ? jsonError(body, source) : yamlErr;
      }
    }
  }

  const deep = findTooDeep(value);
  if (deep !== undefined) throw tooDeep(source, deep);
  return value;
}

function tooDeep(source: string, where: string) {
  return schemaInputError(source, `nests deeper than ${MAX_NESTING_DEPTH} levels (at ${where})`, `flatten the schema: move nested objects into $defs and refer to them with $ref`);
}

function jsonError(text: string, source: string) {
  const found = locateJsonError(text);
  if (!found) return schemaInputError(source, 'is not valid JSON', 'check the file with a JSON linter');
  const { line, column } = lineColumn(text, found.offset);
  return schemaInputError(source, `invalid JSON at line ${line}, column ${column}: ${found.problem}`, 'fix the JSON at that position');
}

function parseYaml(text: string, source: string): unknown {
  if (textNestingEstimate(text) > MAX_NESTING_DEPTH) throw tooDeep(source, 'the document text');
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    // linePos is missing for errors at the end of the text; the offset is always there.
    const offset = first.pos[0];
    const { line, column } = lineColumn(text, offset);
    const where = ` at line ${line}, column ${column}`;
    const problem = first.code === 'MULTIPLE_DOCS' ? 'holds more than one YAML document (---)' : oneLine(first.message);
    throw schemaInputError(source, `invalid YAML${where}: ${problem}`, first.code === 'MULTIPLE_DOCS' ? 'keep one schema per file' : 'fix the YAML at that position');
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    if (/excessive alias count/i.test(msg)) {
      throw schemaInputError(source, `expands too many YAML aliases (limit ${MAX_YAML_ALIASES}); this looks like a "billion laughs" document`, 'write the repeated parts out or move them into $defs and use $ref');
    }
    if (/unresolved alias/i.test(msg)) {
      throw schemaInputError(source, `invalid YAML: ${oneLine(msg)}`, 'define the anchor (&name) before its alias (*name)');
    }
    if (err instanceof RangeError) throw tooDeep(source, 'the document text');
    throw schemaInputError(source, `invalid YAML: ${oneLine(msg)}`, 'fix the YAML');
  }
}
