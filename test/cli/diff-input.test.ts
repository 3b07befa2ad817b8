/**
 * Every bad input to `tessera diff` ends the same way: exit 2, one line on
 * stderr naming the file and the problem, nothing on stdout.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tessera } from '../helpers/cli.js';

const GOOD = path.join('fixtures', 'schemas', 'users-v1.json');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tessera-diff-input-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

async function expectInputError(args: string[], pattern: RegExp, input?: string) {
  const r = await tessera(['diff', ...args], input === undefined ? {} : { input });
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).toMatch(/^tessera: /);
  expect(r.exitCode).toBe(2);
  return r;
}

describe('tessera diff: bad input', () => {
  it('missing file', async () => {
    const missing = path.join(dir, 'nope.json');
    await expectInputError([GOOD, missing], new RegExp(`^tessera: ${escape(missing)}: no such file`));
  });

  it('unreadable path: a directory', async () => {
    // Tests run as root, where chmod 000 does not stop reads; a directory is unreadable as a file for everyone.
    const d = path.join(dir, 'a-directory.json');
    mkdirSync(d);
    await expectInputError([d, GOOD], new RegExp(`^tessera: ${escape(d)}: is a directory, not a schema file`));
  });

  it('invalid JSON, with line and column', async () => {
    const p = file('broken.json', '{\n  "type": "object",\n  "properties": {\n    "a": {"type": "string"},\n  }\n}\n');
    await expectInputError([GOOD, p], new RegExp(`^tessera: ${escape(p)}: invalid JSON at line 5, column 3: trailing comma before '}'`));
  });

  it('invalid YAML, with line and column', async () => {
    const p = file('broken.yaml', 'type: object\nproperties:\n  a:\n    type: string\n   b: 1\n');
    await expectInputError([p, GOOD], new RegExp(`^tessera: ${escape(p)}: invalid YAML at line 5, column \\d+: All mapping items must start at the same column`));
  });

  it('not a valid JSON Schema: wrong type of a keyword', async () => {
    const p = file('type12.json', '{"type": 12}');
    await expectInputError([GOOD, p], new RegExp(`^tessera: ${escape(p)}: is not a valid draft-07 JSON Schema: /type must be one of .*\\(keyword enum\\)`));
  });

  it('not a valid JSON Schema: negative minLength, deep inside', async () => {
    const p = file('minlength.json', JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: { name: { type: 'string', minLength: -1 } } }));
    await expectInputError([GOOD, p], new RegExp(`^tessera: ${escape(p)}: is not a valid 2020-12 JSON Schema: /properties/name/minLength must be >= 0`));
  });

  it('an unresolvable $ref', async () => {
    const p = file('dangling.json', JSON.stringify({ type: 'object', properties: { a: { $ref: '#/$defs/missing' } } }));
    await expectInputError([p, GOOD], new RegExp(`^tessera: ${escape(p)}: \\$ref "#/\\$defs/missing" at /properties/a/\\$ref does not resolve`));
  });

  it('a remote http: $ref is refused, not fetched', async () => {
    const p = file('remote.json', JSON.stringify({ type: 'object', properties: { a: { $ref: 'http://127.0.0.1:9/schema.json' } } }));
    await expectInputError([GOOD, p], new RegExp(`^tessera: ${escape(p)}: \\$ref "http://127.0.0.1:9/schema.json" at /properties/a/\\$ref is remote; Tessera never fetches`));
  });

  it('a file: $ref is refused, not read', async () => {
    const target = file('elsewhere.json', '{"type": "string"}');
    const p = file('fileref.json', JSON.stringify({ type: 'object', properties: { a: { $ref: `file://${target}` } } }));
    await expectInputError([GOOD, p], new RegExp(`^tessera: ${escape(p)}: \\$ref "file://.*" at /properties/a/\\$ref points to a file; Tessera never fetches`));
  });

  it('a 6 MB schema is refused before parsing', async () => {
    const props: Record<string, unknown> = {};
    for (let i = 0; props && JSON.stringify(props).length < 6 * 1024 * 1024; i += 1000) {
      for (let j = i; j < i + 1000; j++) props[`column_${j}`] = { type: 'string', description: 'x'.repeat(60) };
    }
    const p = file('huge.json', JSON.stringify({ type: 'object', properties: props }));
    await expectInputError([GOOD, p], new RegExp(`^tessera: ${escape(p)}: is 6\\.\\d MB, over the 5\\.0 MB limit`));
  });

  it('nesting 100 deep', async () => {
    let schema: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 100; i++) schema = { type: 'object', properties: { [`level${i}`]: schema } };
    const p = file('deep.json', JSON.stringify(schema));
    await expectInputError([GOOD, p], new RegExp(`^tessera: ${escape(p)}: nests deeper than 64 levels`));
  });

  it('a YAML alias bomb (billion laughs)', async () => {
    const names = 'abcdefghi';
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < names.length; i++) lines.push(`${names[i]}: &${names[i]} [${Array(9).fill('*' + names[i - 1]).join(',')}]`);
    const p = file('lol.yaml', lines.join('\n') + '\n');
    await expectInputError([p, GOOD], new RegExp(`^tessera: ${escape(p)}: expands too many YAML aliases \\(limit 100\\)`));
  });

  it('invalid JSON on stdin is named <stdin>', async () => {
    await expectInputError([GOOD, '-'], /^tessera: <stdin>: invalid JSON at line 2, column 1: unexpected end of input \(unclosed '\{'\)/, '{"type": "object"\n');
  });

  it('both operands cannot be stdin', async () => {
    await expectInputError(['-', '-'], /^tessera: only one operand can be - \(stdin\)/, '{}');
  });

  it('a registry operand without a registry', async () => {
    const r = await tessera(['diff', 'orders@1.2.0', GOOD], { env: { TESSERA_REGISTRY: '/nonexistent/tessera-registry' } });
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^tessera: no registry at \/nonexistent\/tessera-registry to read versions from/);
  });

  it('an unknown --mode is a usage error', async () => {
    const r = await tessera(['diff', GOOD, GOOD, '--mode', 'sideways']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("argument 'sideways' is invalid");
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
