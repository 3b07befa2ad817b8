/**
 * The project's own compatibility vectors (fixtures/compat/*.yaml), one
 * test per file, plus a check that every catalog rule has a vector.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CONTENT_MODELS, MODES, POLICIES, PROFILES, RULES, checkCompatibility, type DiffOptions, type JsonSchema } from '../../src/core/diff/index.js';

const DIR = fileURLToPath(new URL('../../fixtures/compat/', import.meta.url));

interface Vector {
  description: string;
  old?: JsonSchema;
  history?: JsonSchema[];
  new: JsonSchema;
  mode: DiffOptions['mode'];
  content_model: DiffOptions['contentModel'];
  policy: DiffOptions['policy'];
  profile?: DiffOptions['profile'];
  expected_rules: string[];
  expected_compatible: boolean;
  expected_hints?: string[];
}

function load(file: string): Vector {
  const v = parse(readFileSync(path.join(DIR, file), 'utf8')) as Vector;
  // A malformed vector must fail loudly, not pass vacuously.
  expect(typeof v.description, `${file}: description`).toBe('string');
  expect(MODES, `${file}: mode`).toContain(v.mode);
  expect(CONTENT_MODELS, `${file}: content_model`).toContain(v.content_model);
  expect(POLICIES, `${file}: policy`).toContain(v.policy);
  if (v.profile !== undefined) expect(PROFILES, `${file}: profile`).toContain(v.profile);
  expect(v.old !== undefined || Array.isArray(v.history), `${file}: old or history`).toBe(true);
  expect(Array.isArray(v.expected_rules), `${file}: expected_rules`).toBe(true);
  expect(typeof v.expected_compatible, `${file}: expected_compatible`).toBe('boolean');
  return v;
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();
const vectors = new Map(files.map((f) => [f, load(f)] as const));

describe('compatibility vectors (fixtures/compat)', () => {
  it.each(files)('%s', (file) => {
    const v = vectors.get(file)!;
    const opts: DiffOptions = { mode: v.mode, contentModel: v.content_model, policy: v.policy, profile: v.profile ?? 'tessera' };
    const report = checkCompatibility(v.history ?? [v.old!], v.new, opts);
    expect(report.changes.map((c) => c.rule).sort(), v.description).toEqual([...v.expected_rules].sort());
    expect(report.compatible, v.description).toBe(v.expected_compatible);
    if (v.expected_hints) expect(report.hints).toEqual(v.expected_hints);
  });

  it('covers every rule of the catalog with at least one vector', () => {
    const covered = new Set([...vectors.values()].flatMap((v) => v.expected_rules));
    expect(RULES.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });
});
