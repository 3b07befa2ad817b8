import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSchemaText, validateSchemaValue, isContractDocument, draftOf } from '../../../src/core/schema/index.js';
import { InputError } from '../../../src/core/errors.js';
import { sharedAvailable, sharedPath } from '../../helpers/shared.js';

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    const line = (err as InputError).oneLine();
    expect(line).not.toMatch(/\n/);
    return line;
  }
  throw new Error('expected an InputError');
}

const v = (schema: unknown, source = 's.json') => validateSchemaValue(schema, source);

describe('meta-schema validation', () => {
  it('accepts valid schemas of every supported draft, and boolean schemas', async () => {
    await expect(v({ type: 'object', properties: { a: { type: 'string', minLength: 1 } } })).resolves.toMatchObject({ draft: 'draft-07' });
    await expect(v({ $schema: 'https://json-schema.org/draft/2020-12/schema', prefixItems: [{ type: 'string' }] })).resolves.toMatchObject({ draft: '2020-12' });
    await expect(v({ $schema: 'https://json-schema.org/draft/2019-09/schema', dependentRequired: { a: ['b'] } })).resolves.toMatchObject({ draft: '2019-09' });
    await expect(v({ $schema: 'http://json-schema.org/draft-04/schema#', type: 'number', minimum: 0, exclusiveMinimum: true })).resolves.toMatchObject({ draft: 'draft-04' });
    await expect(v(true)).resolves.toMatchObject({ schema: true });
  });

  it('names the failing path and keyword', async () => {
    expect(await failure(v({ type: 12 }, 'bad.json'))).toMatch(/^bad\.json: is not a valid draft-07 JSON Schema: \/type must be one of "array", .* \(keyword enum\)/);
    expect(await failure(v({ minLength: -1 }))).toContain('/minLength must be >= 0 (keyword minimum)');
    expect(await failure(v({ properties: { a: { required: 'yes' } } }))).toContain('/properties/a/required must be array');
    expect(await failure(v({ $schema: 'https://json-schema.org/draft/2020-12/schema', $defs: { x: { prefixItems: {} } } }))).toContain('valid 2020-12 JSON Schema: /$defs/x/prefixItems must be array');
  });

  it('tolerates vendor keywords (strict mode off)', async () => {
    await expect(v({ type: 'object', 'x-owner': 'team-a', meta: { pii: true } })).resolves.toBeTruthy();
  });

  it('refuses an unknown $schema and non-schema documents', async () => {
    expect(await failure(v({ $schema: 'https://example.com/my-meta', type: 'string' }))).toContain('unsupported $schema "https://example.com/my-meta"');
    expect(await failure(v([1, 2]))).toContain('is a list, not a JSON Schema');
    expect(await failure(v('text'))).toContain('is a string, not a JSON Schema');
    expect(draftOf({ $schema: 'http://json-schema.org/draft-07/schema#' })).toBe('draft-07');
  });
});

describe('$ref policy', () => {
  it('accepts local pointers, anchors and embedded $ids', async () => {
    await expect(v({ definitions: { a: { type: 'string' } }, properties: { x: { $ref: '#/definitions/a' } } })).resolves.toBeTruthy();
    await expect(v({ $defs: { 'a/b': { type: 'string' }, 'c d': {} }, properties: { x: { $ref: '#/$defs/a~1b' }, y: { $ref: '#/$defs/c%20d' } } })).resolves.toBeTruthy();
    await expect(v({ items: { $ref: '#' } })).resolves.toBeTruthy();
    await expect(v({ $schema: 'https://json-schema.org/draft/2020-12/schema', $defs: { a: { $anchor: 'name', type: 'string' } }, properties: { x: { $ref: '#name' } } })).resolves.toBeTruthy();
    await expect(v({ definitions: { a: { $id: '#legacy' } }, properties: { x: { $ref: '#legacy' } } })).resolves.toBeTruthy();
    await expect(v({ $id: 'https://example.com/root.json', definitions: { a: {} }, properties: { x: { $ref: 'https://example.com/root.json#/definitions/a' } } })).resolves.toBeTruthy();
    await expect(v({ $id: 'https://example.com/root.json', definitions: { item: { $id: 'item.json', type: 'string' } }, properties: { x: { $ref: 'item.json' } } })).resolves.toBeTruthy();
  });

  it('does not mistake data or property names for references', async () => {
    await expect(v({ properties: { $ref: { type: 'string' } }, enum: [{ $ref: 'http://example.com/x' }], default: { $ref: 'file:///etc/passwd' } })).resolves.toBeTruthy();
  });

  it('refuses references that do not resolve, naming them', async () => {
    expect(await failure(v({ properties: { x: { $ref: '#/definitions/missing' } } }, 'r.json'))).toBe(
      'r.json: $ref "#/definitions/missing" at /properties/x/$ref does not resolve: nothing at /definitions/missing in this document (point $ref at an existing location such as "#/$defs/<name>", or add the missing definition)',
    );
    expect(await failure(v({ properties: { x: { $ref: '#nowhere' } } }))).toContain('no $anchor "nowhere"');
    expect(await failure(v({ 'x-data': { a: 'text' }, properties: { x: { $ref: '#/x-data/a' } } }))).toContain('points at a string, not a schema');
  });

  it('refuses remote and file references without fetching them', async () => {
    expect(await failure(v({ properties: { x: { $ref: 'http://127.0.0.1:9/never.json' } } }))).toContain('$ref "http://127.0.0.1:9/never.json" at /properties/x/$ref is remote; Tessera never fetches referenced schemas');
    expect(await failure(v({ properties: { x: { $ref: 'https://example.com/s.json#/a' } } }))).toContain('is remote');
    expect(await failure(v({ items: { $ref: 'file:///etc/passwd' } }))).toContain('$ref "file:///etc/passwd" at /items/$ref points to a file');
    expect(await failure(v({ allOf: [{ $ref: '../common.json#/x' }] }))).toContain('at /allOf/0/$ref points to another document');
    expect(await failure(v({ $schema: 'https://json-schema.org/draft/2020-12/schema', properties: { x: { $dynamicRef: 'https://example.com/meta#node' } } }))).toContain('$dynamicRef');
  });
});

describe('contract documents', () => {
  it('unwraps schema, guarantees, mode and content model', async () => {
    const got = await loadSchemaText('schema:\n  type: object\nguarantees:\n  - {kind: not_null, column: id}\ncompatibility_mode: full\ncontent_model: open\n', 'c.yaml', 'yaml');
    expect(got).toMatchObject({ contract: true, schema: { type: 'object' }, mode: 'full', contentModel: 'open', guarantees: [{ kind: 'not_null', column: 'id' }] });
  });

  it('leaves a schema that has a property called "schema" alone', () => {
    expect(isContractDocument({ type: 'object', properties: { schema: { type: 'string' } } })).toBe(false);
    expect(isContractDocument({ schema: { type: 'string' } })).toBe(true);
    expect(isContractDocument({ schema: 'x' })).toBe(false);
  });

  it('validates the wrapped schema and the settings', async () => {
    expect(await failure(loadSchemaText('{"schema": {"type": 12}}', 'c.json', 'json'))).toContain('c.json: is not a valid draft-07 JSON Schema: /type');
    expect(await failure(loadSchemaText('{"schema": {}, "compatibility_mode": "sideways"}', 'c.json', 'json'))).toContain('compatibility_mode "sideways" is not a mode');
    expect(await failure(loadSchemaText('{"schema": {}, "guarantees": [{"column": "a"}]}', 'c.json', 'json'))).toContain('guarantees/0 needs a "kind"');
  });
});

describe('the Confluent conformance schemas', () => {
  const dir = 'conformance/confluent';
  it.skipIf(!sharedAvailable(dir))('all load and validate (526 schemas)', async () => {
    let count = 0;
    for (const file of readdirSync(sharedPath(dir)).filter((f) => f.startsWith('diff-') && f.endsWith('.json'))) {
      // One upstream file has trailing commas (see the README there).
      const text = readFileSync(sharedPath(dir, file), 'utf8').replace(/,(\s*[}\]])/g, '$1');
      const cases = JSON.parse(text) as Array<{ description: string; original_schema: unknown; update_schema: unknown }>;
      for (const [i, c] of cases.entries()) {
        for (const side of ['original_schema', 'update_schema'] as const) {
          await validateSchemaValue(c[side], `${file}#${i}/${side}`);
          count++;
        }
      }
    }
    expect(count).toBe(526);
    const recursive = readFileSync(sharedPath(dir, 'recursive-schema.json'), 'utf8');
    await expect(loadSchemaText(recursive, 'recursive-schema.json', 'json')).resolves.toMatchObject({ draft: 'draft-04' });
  });
});
