/**
 * docs/cli-json.md describes the `{mapping, results}` document of ODCS and
 * OpenAPI inputs and the `export --json` document: every key the binary
 * prints is in the doc's tables, and every key the tables name is printed
 * by one of the runs, so the doc cannot drift from the output unseen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cleanupTempDirs } from '../helpers/machines.js';
import { PROJECT_ROOT } from '../helpers/cli.js';
import { registryWithTeams, type Setup } from './helpers.js';

afterAll(cleanupTempDirs);

const doc = readFileSync(path.join(PROJECT_ROOT, 'docs/cli-json.md'), 'utf8');

/** The field names of the table that follows `heading` (`mapping.assets[]` -> mapping.assets). */
function documented(heading: string): Set<string> {
  const part = doc.slice(doc.indexOf(heading));
  const table = /\n\| field \| meaning \|\n\| --- \| --- \|\n((?:\|.*\n)+)/.exec(part)![1]!;
  const names = new Set<string>();
  for (const row of table.trim().split('\n')) for (const m of row.split('|')[1]!.matchAll(/`([^`]+)`/g)) names.add(m[1]!.replace(/\[\]/g, ''));
  return names;
}

let s: Setup;
const ODCS = '/work/shared/fixtures/odcs/examples/all--full-example.odcs.yaml';
const OPENAPI = path.join(PROJECT_ROOT, 'fixtures/openapi/petstore-3.0.yaml');

async function json(args: string[]): Promise<any> {
  const r = await s.ana.run([...args, '--json']);
  expect(r.exitCode, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

beforeAll(async () => {
  s = await registryWithTeams('cli-json-', ['sales', 'petstore']);
});

describe('docs/cli-json.md', () => {
  it('{mapping, results}: every mapping key is documented, and every documented one is printed for ODCS or OpenAPI', async () => {
    const odcs = await json(['publish', 'shop', ODCS, '--owner', 'sales']);
    const openapi = await json(['publish', '--from-openapi', OPENAPI, '--owner', 'petstore', '--dry-run']);
    expect(Object.keys(odcs).sort()).toEqual(['mapping', 'results']);
    expect(odcs.mapping.format).toBe('odcs');
    expect(openapi.mapping.format).toBe('openapi');
    expect(odcs.results.map((r: any) => [r.schema_version, r.asset])).toEqual([['tessera.publish/v1', 'shop.tbl'], ['tessera.publish/v1', 'shop.receivers']]);
    expect(openapi.results).toHaveLength(openapi.mapping.assets.length);
    const printed = new Set(['results']);
    for (const m of [odcs.mapping, openapi.mapping]) {
      for (const [k, v] of Object.entries(m)) {
        printed.add(`mapping.${k}`);
        if (Array.isArray(v) && typeof v[0] === 'object') for (const kk of Object.keys(v[0])) printed.add(`mapping.${k}.${kk}`);
      }
    }
    const names = documented('### ODCS and OpenAPI inputs');
    // Sub-keys of assets and channels are documented in their row's text: they count as documented there.
    const rows = doc.slice(doc.indexOf('### ODCS and OpenAPI inputs'), doc.indexOf('## `tessera export --json`'));
    const undocumented = [...printed].filter((k) => !names.has(k) && !(k.split('.').length === 3 && rows.includes(`\`${k.split('.')[2]}\``)));
    expect(undocumented).toEqual([]);
    expect([...names].filter((k) => !printed.has(k))).toEqual([]);
  });

  it('export --json: the keys printed with and without -o are the documented ones', async () => {
    const toStdout = await json(['export', 'shop.tbl', '--format', 'avro']);
    const toFile = await json(['export', 'shop.tbl@1.0.0', '--format', 'dbt-yml', '-o', path.join(s.root, 'tbl.yml')]);
    expect(toStdout).toMatchObject({ asset: 'shop.tbl', version: '1.0.0', format: 'avro', document: { type: 'record' } });
    expect(toStdout.not_expressible.length).toBeGreaterThan(0);
    expect(toFile.file).toBe(path.join(s.root, 'tbl.yml'));
    expect(toFile).not.toHaveProperty('document');
    const printed = new Set([...Object.keys(toStdout), ...Object.keys(toFile)]);
    expect([...printed].sort()).toEqual([...documented('## `tessera export --json`')].sort());
  });
});
