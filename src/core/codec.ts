/**
 * YAML in and out of the registry. Every read and write of a registry file
 * goes through a zod schema; a failure names the file and the field.
 */
import { parse, stringify } from 'yaml';
import { CORE_SCHEMA, load } from 'js-yaml';
import type { z } from 'zod';
import { RegistryError } from './errors.js';
import { emitYaml } from './yaml-emit.js';

/**
 * Parse YAML text (no zod yet). Registry files are written by Tessera and
 * never use anchors or aliases, so they go through js-yaml (~3x faster than
 * `yaml` here, which is what makes a cold whole-registry read fast) with the
 * YAML 1.2 core schema, the same one `yaml` uses. A file that does use
 * anchors (a hand edit, or a hostile "billion laughs") goes through `yaml`
 * with its alias cap instead.
 */
const ANCHOR_OR_ALIAS = /(?:^|[\s,[{:-])[&*][^\s,\]}]/m;

export function parseYamlText(path: string, text: string): unknown {
  try {
    if (ANCHOR_OR_ALIAS.test(text)) return parse(text, { maxAliasCount: 50, uniqueKeys: true });
    return load(text, { schema: CORE_SCHEMA, filename: path });
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    throw new RegistryError(`registry file ${path} is not valid YAML: ${msg}`, 'fix or revert that commit in the registry');
  }
}

export function validateValue<S extends z.ZodType>(path: string, schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    throw new RegistryError(`registry file ${path} is invalid at ${where}: ${issue?.message ?? 'invalid'}`, 'fix or revert that commit in the registry');
  }
  return r.data;
}

/**
 * When on, encodeYaml remembers each text it produced with its validated
 * value, so a writer can seed the parse cache with the files it just wrote
 * (their next read then needs no yaml.parse). Off by default.
 */
let remembered: Map<string, unknown> | undefined;
export function rememberEncoded(on: boolean): void {
  remembered = on ? (remembered ?? new Map()) : undefined;
}
export function encodedValue(text: string): unknown {
  return remembered?.get(text);
}

/** Serialise a value after validating it, so nothing invalid is ever written. */
export function encodeYaml<S extends z.ZodType>(path: string, schema: S, value: z.input<S>): string {
  const valid = validateValue(path, schema, value);
  // Same bytes as yaml.stringify, several times faster for plain data (src/core/yaml-emit.ts).
  const text = emitYaml(valid) ?? stringify(valid, { lineWidth: 0, aliasDuplicateObjects: false, sortMapEntries: false });
  remembered?.set(text, valid);
  return text;
}
