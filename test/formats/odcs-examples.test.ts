/**
 * Issue 17, "what it must show" 1: every example contract of the ODCS
 * standard (../shared/fixtures/odcs/examples/) either imports, with pinned
 * asset, column and guarantee counts, or is refused with a one-line reason;
 * each imported object exported back to ODCS validates against the official
 * v3.1.0 schema (checked here with ajv and ajv-formats, as upstream's CI
 * does, independently of Tessera's own validation); and ODCS -> Tessera ->
 * ODCS gives the document back (every field Tessera reads, and the ones it
 * carries under x-odcs). Also: the vendored schemas are the official ones.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { sharedAvailable, sharedPath } from '../helpers/shared.js';
import { PROJECT_ROOT } from '../helpers/cli.js';
import { parseSchemaText } from '../../src/core/schema/index.js';
import { loadOdcs } from '../../src/cli/contract-formats.js';
import { exportContract, type OdcsObject } from '../../src/core/formats/index.js';
import type { Asset, Version } from '../../src/core/model.js';
import { comparableOdcs as comparable, officialOdcsValidator } from './helpers.js';

const HAVE_SHARED = sharedAvailable('fixtures', 'odcs', 'examples');
const EXAMPLES = HAVE_SHARED ? sharedPath('fixtures', 'odcs', 'examples') : '';

/** file -> [assets, columns (top-level, summed), guarantees (summed)], or the reason it is refused. */
const EXPECTED: Record<string, [number, number, number] | RegExp> = {
  'all--full-example.odcs.yaml': [2, 7, 8],
  'all--postgresql-adventureworks-contract.odcs.yaml': [68, 456, 68],
  'data-types--all-data-types.odcs.yaml': [1, 10, 0],
  'fundamentals--table-column-description.odcs.yaml': [1, 1, 0],
  'quality--column-accuracy.odcs.yaml': [1, 1, 1],
  'quality--column-completeness.odcs.yaml': [1, 1, 2],
  'quality--column-custom.odcs.yaml': [1, 1, 3],
  'quality--column-validity.odcs.yaml': [1, 1, 2],
  // A contract about roles, servers, SLAs or stakeholders only: valid ODCS, but it describes no data.
  'roles--service-and-operational-roles.odcs.yaml': /without schema objects/,
  'schema--all-schema-types.odcs.yaml': [3, 5, 1],
  'schema--kafka-schema.odcs.yaml': [1, 3, 0],
  'schema--kafka-schemaregistry.odcs.yaml': [1, 0, 0],
  'schema--table-column.odcs.yaml': [1, 1, 0],
  'schema--table-columns-with-partition.odcs.yaml': [1, 4, 1],
  'server--azure-server.odcs.yaml': /without schema objects/,
  'server--kafka-server.odcs.yaml': [1, 0, 0],
  'sla--database-table-sla.odcs.yaml': /without schema objects/,
  'stakeholders--basic-four-dpo.odcs.yaml': /without schema objects/,
};


function asPublished(o: OdcsObject): { asset: Asset; version: Version } {
  const asset: Asset = { id: `examples.${o.slug}`, owner: 'data', kind: o.kind ?? 'table', tags: [], current_version: '1.0.0' };
  const version: Version = { asset: asset.id, version: '1.0.0', schema: o.schema, guarantees: o.guarantees, compatibility_mode: 'consumer', content_model: 'closed', published_by: 'a@b.c', published_at: '2026-01-01T00:00:00Z', changes: [], via: 'direct' };
  return { asset, version };
}

describe.skipIf(!HAVE_SHARED)('ODCS examples of the standard', () => {
  const files = HAVE_SHARED ? readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml')).sort() : [];
  const validate = HAVE_SHARED ? officialOdcsValidator(sharedPath('fixtures', 'odcs', 'odcs-json-schema-v3.1.0.json')) : () => undefined;

  it('the table covers every example file', () => {
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  const report: string[] = [];
  for (const file of Object.keys(EXPECTED)) {
    it(`${file}: ${EXPECTED[file] instanceof RegExp ? 'refused' : 'imports, exports valid v3.1.0, round-trips'}`, async () => {
      const text = readFileSync(path.join(EXAMPLES, file), 'utf8');
      const original = parse(text) as Record<string, unknown>;
      const want = EXPECTED[file]!;
      const load = loadOdcs(parseSchemaText(text, file, 'yaml') as Record<string, unknown>, file);
      if (want instanceof RegExp) {
        const err = await load.then(() => undefined, (e: Error) => e);
        expect(err?.message).toMatch(want);
        expect(err!.message.split('\n')).toHaveLength(1);
        report.push(`${file}: refused: ${err!.message.slice(file.length + 2)}`);
        return;
      }
      const { mapping } = await load;
      const got: [number, number, number] = [mapping.objects.length, mapping.objects.reduce((n, o) => n + o.columns, 0), mapping.objects.reduce((n, o) => n + o.guarantees.length, 0)];
      expect(got).toEqual(want);
      report.push(`${file}: ${got[0]} assets, ${got[1]} columns, ${got[2]} guarantees`);
      const contractSlas = original.slaProperties;
      for (const o of mapping.objects) {
        const { asset, version } = asPublished(o);
        const out = exportContract('odcs', asset, version);
        const reread = parse(out.text) as Record<string, unknown>;
        expect(validate(reread), `${file}#${o.name}`).toBeUndefined();
        expect(out.lost, `${file}#${o.name}: a contract read from ODCS loses nothing on the way back`).toEqual([]);
        const source = (original.schema as Array<Record<string, unknown>>).find((s) => s.name === o.name)!;
        const expected = { ...original, schema: [source], ...(contractSlas ? { slaProperties: contractSlas } : {}) };
        expect(comparable(reread, 'team' in original)).toEqual(comparable(expected, 'team' in original));
      }
    });
  }

  it('prints which examples import and which are refused, and why', () => {
    console.log(`ODCS examples:\n  ${report.join('\n  ')}`);
    expect(report).toHaveLength(Object.keys(EXPECTED).length);
  });
});

describe('vendored official schemas', () => {
  const vendored = path.join(PROJECT_ROOT, 'schemas', 'odcs');
  it.skipIf(!HAVE_SHARED)('are byte-identical to ../shared/fixtures/odcs/ (both from bitol-io/open-data-contract-standard e6a1c66)', () => {
    for (const f of ['odcs-json-schema-v3.0.2.json', 'odcs-json-schema-v3.1.0.json', 'LICENSE']) {
      expect(readFileSync(path.join(vendored, f)).equals(readFileSync(sharedPath('fixtures', 'odcs', f))), f).toBe(true);
    }
  });
  it('ship in the package (package.json files lists schemas/)', () => {
    const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('schemas');
    expect(JSON.parse(readFileSync(path.join(vendored, 'odcs-json-schema-v3.1.0.json'), 'utf8')).properties.apiVersion.enum).toContain('v3.1.0');
  });
});
