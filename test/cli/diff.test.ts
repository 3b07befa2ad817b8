import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tessera } from '../helpers/cli.js';

const V1 = path.join('fixtures', 'schemas', 'users-v1.json');
const V2 = path.join('fixtures', 'schemas', 'users-v2.json');
const ANSI = /\u001b\[/;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tessera-diff-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: unknown): string {
  const p = path.join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return p;
}

describe('tessera diff', () => {
  it('reports removing the required email column as breaking (exit 1), with rule, path and bump', async () => {
    const r = await tessera(['diff', V1, V2]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^✖ PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL +\/properties\/email {2}\S/);
    expect(lines).toContainEqual(expect.stringMatching(/^✔ \S+ +\/properties\/country {2}\S/));
    expect(lines.at(-1)).toBe('breaking under backward (closed content model, strict policy): 1 breaking change, 1 compatible change; suggested bump: major');
  });

  it('exit 0 for a compatible change, and for identical schemas', async () => {
    const oldF = file('add-old.json', { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] });
    const newF = file('add-new.json', { type: 'object', properties: { a: { type: 'string' }, b: { type: 'integer' } }, required: ['a'] });
    const r = await tessera(['diff', oldF, newF]);
    expect(r.stdout).toMatch(/^✔ \S+ +\/properties\/b {2}/);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('compatible under backward (closed content model, strict policy): 0 breaking changes, 1 compatible change; suggested bump: minor');
    expect(r.exitCode).toBe(0);
    // The same pair read the other way round removes a column: breaking under forward.
    expect((await tessera(['diff', oldF, newF, '--mode', 'forward'])).exitCode).toBe(1);
    const same = await tessera(['diff', V1, V1]);
    // (execa strips the final newline)
    expect(same.stdout).toBe('no changes: compatible under backward (closed content model, strict policy); suggested bump: none');
    expect(same.exitCode).toBe(0);
  });

  it('--mode none checks nothing and exits 0', async () => {
    const r = await tessera(['diff', V1, V2, '--mode', 'none']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('mode none: nothing is checked');
  });

  it('--json: a versioned object on stdout', async () => {
    const r = await tessera(['diff', V1, V2, '--json']);
    expect(r.exitCode).toBe(1);
    const out = JSON.parse(r.stdout) as Record<string, unknown> & { changes: Array<Record<string, unknown>> };
    expect(out).toMatchObject({
      schema_version: 'tessera.diff/v1',
      old: V1,
      new: V2,
      mode: 'backward',
      content_model: 'closed',
      policy: 'strict',
      profile: 'tessera',
      compatible: false,
      bump: 'major',
      summary: { breaking: 1, compatible: 1, annotation: 0 },
    });
    expect(Array.isArray(out.hints)).toBe(true);
    const email = out.changes.find((c) => c.path === '/properties/email');
    expect(email).toMatchObject({ rule: 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL', kind: 'breaking', breaking: true, category: 'object', old: { type: 'string' } });
    expect(typeof email?.message).toBe('string');
    // --format json is the same thing
    const f = await tessera(['diff', V1, V2, '--format', 'json']);
    expect(JSON.parse(f.stdout)).toEqual(out);
  });

  it('--format github: an ::error per breaking change, ::notice for the rest', async () => {
    const r = await tessera(['diff', V1, V2, '--format', 'github']);
    expect(r.exitCode).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^::error file=fixtures\/schemas\/users-v2\.json,title=PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL::\/properties\/email: \S/);
    expect(lines.filter((l) => l.startsWith('::error '))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('::notice ')).length).toBeGreaterThanOrEqual(2);
    expect(lines.every((l) => /^::(error|notice) /.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^::notice title=tessera diff::breaking under backward/);
  });

  it('--format github escapes commas, colons and newlines in properties and data', async () => {
    const oldF = file('a,b:c.json', { type: 'object', properties: { 'x%y': { type: 'string' } }, required: ['x%y'] });
    const newF = file('d,e:f.json', { type: 'object', properties: {} });
    const r = await tessera(['diff', oldF, newF, '--format', 'github']);
    const err = r.stdout.split('\n').find((l) => l.startsWith('::error'));
    expect(err).toContain(`file=${newF.replace(/:/g, '%3A').replace(/,/g, '%2C')},`);
    expect(err).toContain('x%25y');
  });

  it('--format markdown: a table ready for a PR comment', async () => {
    const r = await tessera(['diff', V1, V2, '--format', 'markdown']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^### ❌ tessera diff: breaking under `backward`\n/);
    expect(r.stdout).toContain('| | Rule | Path | Change |\n| --- | --- | --- | --- |\n');
    expect(r.stdout).toMatch(/\n\| ✖ breaking \| `PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL` \| `\/properties\/email` \| [^\n]+ \|\n/);
    expect(r.stdout).toContain('suggested bump: **major**');
  });

  it('reads the new schema from stdin (-), YAML or JSON', async () => {
    const yaml = 'type: object\nproperties:\n  user_id: {type: integer}\n  created_at: {type: string, format: date-time}\n  email: {type: string}\nrequired: [user_id, email]\n';
    const r = await tessera(['diff', V1, '-', '--json'], { input: yaml });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ new: '<stdin>', compatible: true });
    const j = await tessera(['diff', V1, '-', '--format', 'github'], { input: readFileSync(V2, 'utf8') });
    expect(j.exitCode).toBe(1);
    // stdin has no file to annotate, so no file= property
    expect(j.stdout).toMatch(/^::error title=PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL::/);
  });

  it('the open content model makes removing a column compatible with backward', async () => {
    const oldF = file('open-old.json', { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } } });
    const newF = file('open-new.json', { type: 'object', properties: { a: { type: 'string' } } });
    expect((await tessera(['diff', oldF, newF, '--content-model', 'open'])).exitCode).toBe(0);
    expect((await tessera(['diff', oldF, newF])).exitCode).toBe(1);
  });

  it("takes mode and content model from a contract document's settings unless flags say otherwise", async () => {
    const oldF = file('c-old.yaml', 'schema:\n  type: object\n  properties:\n    a: {type: string}\n    b: {type: string}\n');
    const newF = file('c-new.yaml', 'schema:\n  type: object\n  properties:\n    a: {type: string}\ncompatibility_mode: none\n');
    const byContract = await tessera(['diff', oldF, newF, '--json']);
    expect(JSON.parse(byContract.stdout)).toMatchObject({ mode: 'none', compatible: true });
    expect(byContract.exitCode).toBe(0);
    const byFlag = await tessera(['diff', oldF, newF, '--json', '--mode', 'backward']);
    expect(JSON.parse(byFlag.stdout)).toMatchObject({ mode: 'backward', compatible: false });
    expect(byFlag.exitCode).toBe(1);
  });

  it('NO_COLOR (and a pipe) produce no ANSI escapes; FORCE_COLOR does', async () => {
    const plain = await tessera(['diff', V1, V2], { env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
    expect(plain.stdout).not.toMatch(ANSI);
    expect(plain.stdout).toContain('✖ PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL');
    const forced = await tessera(['diff', V1, V2], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(forced.stdout).toMatch(ANSI);
  });
});

describe('tessera diff: schemas the draft-06/07 specification allows', () => {
  // The draft-06/07 texts say enum SHOULD be non-empty and unique; the published meta-schemas say MUST (src/core/schema/meta-sources.ts).
  it('diffs an empty enum and duplicate enum values, without $schema and under draft-06/07 (exit 0, not 2)', async () => {
    for (const [name, declared] of [['none', undefined], ['d6', 'http://json-schema.org/draft-06/schema#'], ['d7', 'http://json-schema.org/draft-07/schema#']] as const) {
      const head = declared ? { $schema: declared } : {};
      const oldF = file(`enum-${name}-old.json`, { ...head, type: 'object', properties: { s: { enum: [] }, t: { enum: ['a', 'a'] } } });
      const newF = file(`enum-${name}-new.json`, { ...head, type: 'object', properties: { s: { enum: ['x'] }, t: { enum: ['a'] } } });
      const r = await tessera(['diff', oldF, newF, '--content-model', 'open']);
      expect(r.stderr, name).toBe('');
      expect(r.exitCode, name).toBe(0);
      expect(r.stdout, name).toMatch(/ENUM_ARRAY_EXTENDED +\/properties\/s\/enum/);
      expect(r.stdout, name).not.toContain('/properties/t');
    }
  });

  it('still refuses an empty enum in draft-04, whose text says MUST (exit 2)', async () => {
    const f = file('enum-d4.json', { $schema: 'http://json-schema.org/draft-04/schema#', enum: [] });
    const r = await tessera(['diff', f, f]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('draft-04');
  });
});
