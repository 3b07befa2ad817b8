/**
 * Issue 17, "what it must show" 3 and 4: the Swagger Petstore's real OpenAPI
 * 3.0 document (fixtures/openapi/, provenance in its README) imports as one
 * asset per component schema, and a breaking change to one schema opens a
 * proposal naming the property; a remote $ref is refused and never fetched;
 * 3.0 `nullable` and 3.1 type arrays mean the same thing to the engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { cleanupTempDirs, type Machine } from '../helpers/machines.js';
import { aliasBomb, officialOdcsValidator, registryWithTeams, type Setup } from './helpers.js';
import { PROJECT_ROOT } from '../helpers/cli.js';
import { importOpenApi } from '../../src/core/formats/index.js';
import { checkCompatibility } from '../../src/core/diff/index.js';
import type { JsonSchema } from '../../src/core/diff/types.js';

const PETSTORE = path.join(PROJECT_ROOT, 'fixtures', 'openapi', 'petstore-3.0.yaml');

afterAll(cleanupTempDirs);

let setup: Setup;
let ana: Machine;
const write = (name: string, value: unknown) => setup.write(name, value);
const expectRefused = (args: string[], pattern: RegExp) => setup.expectRefused(args, pattern);

beforeAll(async () => {
  setup = await registryWithTeams('tessera-openapi-', ['pets', 'shop']);
  ({ ana } = setup);
});

describe('the Swagger Petstore (OpenAPI 3.0.4)', () => {
  it('imports one asset per components.schemas entry, judged under open content', async () => {
    const r = await ana.run(['publish', '--from-openapi', PETSTORE, '--prefix', 'petstore.', '--owner', 'pets']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout.split('\n').slice(0, 7)).toEqual([
      `OpenAPI 3.0.4 document (${PETSTORE}): 6 assets`,
      '  components.schemas.Order -> petstore.order: 6 columns, 0 guarantees',
      '  components.schemas.Category -> petstore.category: 2 columns, 0 guarantees',
      '  components.schemas.User -> petstore.user: 8 columns, 0 guarantees',
      '  components.schemas.Tag -> petstore.tag: 2 columns, 0 guarantees',
      '  components.schemas.Pet -> petstore.pet: 6 columns, 0 guarantees',
      '  components.schemas.ApiResponse -> petstore.apiresponse: 3 columns, 0 guarantees',
    ]);
    const pet = JSON.parse((await ana.run(['show', 'petstore.pet', '--json'])).stdout);
    expect(pet.asset.kind).toBe('other');
    expect(pet.version.content_model).toBe('open');
    expect(pet.version.compatibility_mode).toBe('backward');
    // Internal $refs resolved into the contract: Category and Tag travel with Pet.
    expect(Object.keys(pet.version.schema.$defs).sort()).toEqual(['Category', 'Tag']);
    expect(pet.version.schema.properties.category).toEqual({ $ref: '#/$defs/Category' });
    expect(pet.version.schema.required).toEqual(['name', 'photoUrls']);
  });

  it('exports back out: ODCS valid against v3.1.0 with the $refs inlined, and what ODCS cannot say listed', async () => {
    const r = await ana.run(['export', 'petstore.pet', '--format', 'odcs']);
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = parse(r.stdout);
    expect(officialOdcsValidator(path.join(PROJECT_ROOT, 'schemas', 'odcs', 'odcs-json-schema-v3.1.0.json'))(doc)).toBeUndefined();
    const category = (doc.schema[0].properties as Array<{ name: string }>).find((p) => p.name === 'category');
    expect(category).toEqual({ name: 'category', logicalType: 'object', properties: [{ name: 'id', logicalType: 'integer', logicalTypeOptions: { format: 'i64' }, examples: [1] }, { name: 'name', logicalType: 'string', examples: ['Dogs'] }] });
    expect(r.stderr.trim().split('\n')).toEqual(['tessera: not expressible in odcs: xml (ODCS has no field for it) at /properties/category, /properties/photoUrls, /properties/photoUrls/items, /properties/tags, /properties/tags/items, /']);
  });

  it('a breaking change to one schema opens a proposal naming the property; the others stay as they are', async () => {
    expect((await ana.run(['consume', 'petstore.pet', '--team', 'shop'])).exitCode).toBe(0);
    const doc = parse(readFileSync(PETSTORE, 'utf8'));
    doc.components.schemas.Pet.properties.id = { type: 'string', example: 'p-10' };
    const v2 = write('petstore-v2.yaml', doc);
    const check = await ana.run(['check', '--from-openapi', v2, '--prefix', 'petstore.']);
    expect(check.exitCode, check.stderr).toBe(1);
    expect(check.stdout).toMatch(/\npetstore\.pet:\n  ✖ TYPE_CHANGED +\/properties\/id /);
    const r = await ana.run(['publish', '--from-openapi', v2, '--prefix', 'petstore.', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const byAsset = Object.fromEntries(out.results.map((x: { asset: string; action: string }) => [x.asset, x]));
    expect(byAsset['petstore.pet'].action).toBe('proposal.created');
    const changes = byAsset['petstore.pet'].diff.changes as Array<{ path: string; breaking: boolean }>;
    expect(changes.filter((c) => c.breaking).map((c) => c.path)).toEqual(['/properties/id']);
    for (const other of ['petstore.order', 'petstore.category', 'petstore.user', 'petstore.tag', 'petstore.apiresponse']) expect(byAsset[other].action).toBe('unchanged');
  });

  it('--operation publishes the JSON response schema of one operation', async () => {
    const r = await ana.run(['publish', '--from-openapi', PETSTORE, '--operation', 'getInventory', '--prefix', 'petstore.op.', '--owner', 'pets', '--dry-run']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('operation getInventory -> petstore.op.getinventory: 0 columns');
    await expectRefused(['publish', '--from-openapi', PETSTORE, '--operation', 'nope', '--owner', 'pets'], /has no operation with operationId "nope" \(use one of: updatePet, addPet/);
  });
});

describe('bad OpenAPI input: one line, exit 2, nothing written', () => {
  let server: Server;
  let hits = 0;
  let url = '';
  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits++;
      res.end(JSON.stringify({ type: 'object' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/pet.json`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('refuses a remote $ref without fetching it', async () => {
    const doc = { openapi: '3.0.3', info: { title: 'remote', version: '1' }, paths: {}, components: { schemas: { Pet: { type: 'object', properties: { owner: { $ref: url } } } } } };
    await expectRefused(['publish', '--from-openapi', write('remote.yaml', doc), '--owner', 'pets'], /\/components\/schemas\/Pet\/properties\/owner has a remote \$ref "http:\/\/127\.0\.0\.1:\d+\/pet\.json"; Tessera never fetches references/);
    await expectRefused(['publish', '--from-openapi', write('file-ref.yaml', { ...doc, components: { schemas: { Pet: { $ref: './pet.yaml#/Pet' } } } }), '--owner', 'pets'], /remote \$ref "\.\/pet\.yaml#\/Pet"/);
    expect(hits).toBe(0);
  });

  it('refuses a YAML alias bomb', async () => {
    const bomb = aliasBomb(['openapi: 3.0.3', 'info: {title: b, version: "1"}', 'paths: {}'], ['components: {schemas: {X: {type: object, x-junk: *e}}}']);
    await expectRefused(['publish', '--from-openapi', write('bomb.yaml', bomb), '--owner', 'pets'], /expands too many YAML aliases/);
  });

  it('refuses Swagger 2.0, a document without components, and positional arguments with --from-openapi', async () => {
    await expectRefused(['publish', '--from-openapi', write('swagger.yaml', { swagger: '2.0', info: { title: 's', version: '1' }, paths: {} }), '--owner', 'pets'], /is OpenAPI\/Swagger "2\.0"; Tessera reads OpenAPI 3\.0 and 3\.1/);
    await expectRefused(['publish', '--from-openapi', write('bare.yaml', { openapi: '3.1.0', info: { title: 's', version: '1' }, paths: {} }), '--owner', 'pets'], /has no components\.schemas/);
    await expectRefused(['publish', 'x', 'y.json', '--from-openapi', PETSTORE], /--from-openapi takes no <asset> or <schema-file>/);
  });
});

describe('OpenAPI 3.0 nullable and 3.1 type arrays', () => {
  const doc = (version: string, id: unknown) => ({ openapi: version, info: { title: 'T', version: '1' }, paths: {}, components: { schemas: { Row: { type: 'object', properties: { id, n: { type: 'integer', minimum: 0, exclusiveMinimum: version.startsWith('3.0') ? true : 0 } } } } } });
  const schemaOf = (d: unknown) => importOpenApi(d, 'api.yaml', {}).schemas[0]!.schema;

  it('map to the same JSON Schema type', () => {
    const from30 = schemaOf(doc('3.0.3', { type: 'string', nullable: true }));
    const from31 = schemaOf(doc('3.1.0', { type: ['string', 'null'] }));
    expect((from30.properties as Record<string, unknown>).id).toEqual({ type: ['string', 'null'] });
    expect((from31.properties as Record<string, unknown>).id).toEqual({ type: ['string', 'null'] });
    // 3.0's boolean exclusiveMinimum is the numeric one of JSON Schema.
    expect((from30.properties as Record<string, unknown>).n).toEqual({ type: 'integer', exclusiveMinimum: 0 });
    expect(from30.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(from31.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('are judged alike: dropping null is breaking for readers of old data, adding it is not', () => {
    for (const [nullable, plain] of [
      [schemaOf(doc('3.0.3', { type: 'string', nullable: true })), schemaOf(doc('3.0.3', { type: 'string' }))],
      [schemaOf(doc('3.1.0', { type: ['string', 'null'] })), schemaOf(doc('3.1.0', { type: 'string' }))],
    ]) {
      const opts = { mode: 'backward', contentModel: 'open', policy: 'strict', profile: 'tessera' } as const;
      expect(checkCompatibility([nullable as JsonSchema], plain as JsonSchema, opts).compatible).toBe(false);
      expect(checkCompatibility([plain as JsonSchema], nullable as JsonSchema, opts).compatible).toBe(true);
    }
  });
});
