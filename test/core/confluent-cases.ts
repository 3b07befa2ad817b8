/**
 * Reading Confluent's conformance files (kept outside the project, see
 * ../shared/conformance/confluent/README.md) and mapping our changes onto
 * Confluent's difference names and paths.
 */
import { readFileSync } from 'node:fs';
import { sharedPath } from '../helpers/shared.js';
import type { Change, JsonSchema } from '../../src/core/diff/index.js';
import { ruleById } from '../../src/core/diff/index.js';

export const CASE_FILES = [
  'diff-schema-examples.json',
  'diff-schema-examples-2020-12.json',
  'diff-combined-schema-examples.json',
  'diff-combined-schema-examples-2020-12.json',
] as const;

export interface ConfluentCase {
  file: string;
  index: number;
  description: string;
  original_schema: JsonSchema;
  update_schema: JsonSchema;
  changes: string[];
  compatible: boolean;
  compatible_lenient?: boolean;
}

/** Drop a comma that directly precedes } or ], outside string literals (org.json accepts them, JSON.parse does not). */
export function stripTrailingCommas(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      out += ch;
      if (ch === '\\') {
        out += text[i + 1] ?? '';
        i++;
      } else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') {
      inString = true;
      out += ch;
      continue;
    }
    if (ch === ',') {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j]!)) j++;
      if (text[j] === '}' || text[j] === ']') continue;
    }
    out += ch;
  }
  return out;
}

export function loadCases(): ConfluentCase[] {
  const all: ConfluentCase[] = [];
  for (const file of CASE_FILES) {
    const list = JSON.parse(stripTrailingCommas(readFileSync(sharedPath('conformance', 'confluent', file), 'utf8'))) as Array<Omit<ConfluentCase, 'file' | 'index'>>;
    list.forEach((c, index) => all.push({ ...c, file, index }));
  }
  return all;
}

/**
 * Our change as Confluent would write it: its difference type (when the
 * rule has exactly one Confluent name) and its path in Confluent's internal
 * model, where 2020-12 tuples are items/N and their tail additionalItems.
 */
export function toConfluent(c: Change): string | undefined {
  const names = ruleById(c.rule)?.confluent;
  if (!names || names.length !== 1) return undefined;
  let path = c.path
    .replace(/\/prefixItems\//g, '/items/')
    .replace(/\/(dependentRequired|dependentSchemas)\//g, '/dependencies/')
    .replace(/\/unevaluatedProperties$/, '/additionalProperties');
  if (c.rule.startsWith('ADDITIONAL_ITEMS_')) path = path.replace(/\/(items|unevaluatedItems)$/, '/additionalItems');
  return `${names[0]} #/${path.slice(1)}`;
}

export function sameMultiset(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  const sa = [...a].sort();
  const sb = [...b].sort();
  return sa.every((x, i) => x === sb[i]);
}
