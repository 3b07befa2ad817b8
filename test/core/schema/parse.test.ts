import { describe, expect, it } from 'vitest';
import { parseSchemaText, formatFromName, MAX_SCHEMA_BYTES } from '../../../src/core/schema/index.js';
import { InputError } from '../../../src/core/errors.js';
import { locateJsonError } from '../../../src/core/schema/json-error.js';
import { textNestingEstimate } from '../../../src/core/schema/depth.js';

function failure(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    const e = err as InputError;
    expect(e.exitCode).toBe(2);
    expect(e.oneLine()).not.toMatch(/\n/);
    return e;
  }
  throw new Error('expected an InputError');
}

describe('parseSchemaText', () => {
  it('parses JSON and YAML to the same value', () => {
    const json = parseSchemaText('{"type": "object", "properties": {"a": {"type": "integer"}}}', 's.json', 'json');
    const yaml = parseSchemaText('type: object\nproperties:\n  a:\n    type: integer\n', 's.yaml', 'yaml');
    expect(yaml).toEqual(json);
    expect(parseSchemaText('type: string\n', '<stdin>', 'auto')).toEqual({ type: 'string' });
  });

  it('strips a byte-order mark', () => {
    expect(parseSchemaText('\ufeff{"type": "string"}', 'bom.json', 'json')).toEqual({ type: 'string' });
  });

  it('chooses the syntax by file extension', () => {
    expect(formatFromName('a/b.JSON')).toBe('json');
    expect(formatFromName('x.yml')).toBe('yaml');
    expect(formatFromName('x.yaml')).toBe('yaml');
    expect(formatFromName('-')).toBe('auto');
  });

  it('reports invalid JSON with line and column', () => {
    const e = failure(() => parseSchemaText('{\n  "type": "object",\n  "properties": {,}\n}', 'bad.json', 'json'));
    expect(e.message).toBe(`bad.json: invalid JSON at line 3, column 18: unexpected ',', expected a double-quoted property name`);
  });

  it('names a trailing comma', () => {
    expect(failure(() => parseSchemaText('{"a": [1, 2,]}', 'x.json', 'json')).message).toContain("line 1, column 13: trailing comma before ']'");
  });

  it('diagnoses JSON-looking text of unknown type as JSON', () => {
    expect(failure(() => parseSchemaText('{"a": 1 "b": 2}', '<stdin>', 'auto')).message).toMatch(/^<stdin>: invalid JSON at line 1, column 9/);
  });

  it('reports invalid YAML with line and column', () => {
    const e = failure(() => parseSchemaText('type: object\nproperties:\n  a: {type: string\n', 'bad.yaml', 'yaml'));
    expect(e.message).toMatch(/^bad\.yaml: invalid YAML at line \d+, column \d+: /);
  });

  it('refuses duplicate keys and multiple YAML documents', () => {
    expect(failure(() => parseSchemaText('a: 1\na: 2\n', 'd.yaml', 'yaml')).message).toMatch(/line 2, column 1: Map keys must be unique/);
    expect(failure(() => parseSchemaText('a: 1\n---\nb: 2\n', 'm.yaml', 'yaml')).message).toContain('more than one YAML document');
  });

  it('refuses empty input', () => {
    expect(failure(() => parseSchemaText('  \n', 'e.json', 'json')).message).toBe('e.json: is empty');
  });

  it('refuses text over the size limit before parsing', () => {
    const big = '{"description": "' + 'x'.repeat(MAX_SCHEMA_BYTES) + '"}';
    expect(failure(() => parseSchemaText(big, 'big.json', 'json')).message).toMatch(/^big\.json: is 5\.0 MB, over the 5\.0 MB limit/);
  });

  it('counts bytes, not characters, against the size limit', () => {
    const chars = Math.ceil(MAX_SCHEMA_BYTES / 3) + 10; // each "é" is 2 bytes, "€" is 3
    const text = '{"description": "' + '€'.repeat(chars) + '"}';
    expect(text.length).toBeLessThan(MAX_SCHEMA_BYTES);
    expect(failure(() => parseSchemaText(text, 'wide.json', 'json')).message).toContain('over the 5.0 MB limit');
  });

  it('refuses nesting deeper than 64 levels, in JSON and in YAML', () => {
    const deep = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
    expect(parseSchemaText(deep(63), 'ok.json', 'json')).toBeTruthy();
    expect(failure(() => parseSchemaText(deep(100), 'deep.json', 'json')).message).toMatch(/^deep\.json: nests deeper than 64 levels \(at \/a\/a\/a\/a\/a\/a\/…\)/);
    expect(failure(() => parseSchemaText('x: ' + '['.repeat(100) + ']'.repeat(100), 'deep.yaml', 'yaml')).message).toContain('nests deeper than 64 levels');
    let block = '';
    for (let i = 0; i < 80; i++) block += ' '.repeat(i) + 'k:\n';
    expect(failure(() => parseSchemaText(block, 'block.yaml', 'yaml')).message).toContain('nests deeper than 64 levels');
  });

  it('refuses 100,000 nested flow brackets with the depth message instead of overflowing the stack or exhausting memory', () => {
    const text = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(failure(() => parseSchemaText(text, 'brackets.yaml', 'yaml')).message).toMatch(/^brackets\.yaml: nests deeper than 64 levels/);
  });

  it('refuses a YAML alias bomb', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    const names = 'abcdefghi';
    for (let i = 1; i < names.length; i++) lines.push(`${names[i]}: &${names[i]} [${Array(9).fill('*' + names[i - 1]).join(',')}]`);
    const e = failure(() => parseSchemaText(lines.join('\n') + '\n', 'lol.yaml', 'yaml'));
    expect(e.message).toMatch(/^lol\.yaml: expands too many YAML aliases \(limit 100\)/);
  });

  it('allows a few aliases', () => {
    const text = 'definitions:\n  s: &s {type: string}\nproperties:\n  a: *s\n  b: *s\n';
    expect(parseSchemaText(text, 'ok.yaml', 'yaml')).toEqual({ definitions: { s: { type: 'string' } }, properties: { a: { type: 'string' }, b: { type: 'string' } } });
  });
});

describe('locateJsonError', () => {
  it('finds the offset of common mistakes', () => {
    expect(locateJsonError('{"a": 1}')).toBeUndefined();
    expect(locateJsonError("{'a': 1}")).toEqual({ offset: 1, problem: `unexpected "'", expected a double-quoted property name` });
    expect(locateJsonError('{"a" 1}')?.offset).toBe(5);
    expect(locateJsonError('[1, 2')?.problem).toBe("unexpected end of input (unclosed '[')");
    expect(locateJsonError('"abc\n"')?.problem).toContain('unterminated string');
    expect(locateJsonError('{"a": 01}')?.offset).toBe(7);
    expect(locateJsonError('{} {}')?.problem).toBe("unexpected '{' after the end of the JSON value");
    expect(locateJsonError('[1}')?.problem).toBe("unexpected '}', expected ',' or ']'");
  });
});

describe('textNestingEstimate', () => {
  it('counts flow brackets and compact sequences', () => {
    expect(textNestingEstimate('a: [[1], {b: [2]}]')).toBe(3);
    expect(textNestingEstimate('- - - 1\n')).toBe(3);
  });
});
