/**
 * A shared registry: the UI serves the cached clone and fetches again when
 * a page loads (throttled; the interval is 0 here), and its incrementally
 * updated index matches a fresh full read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bareRemote, cleanupTempDirs, machine, tempDir, writeJson, USERS_V1, type Machine } from '../helpers/machines.js';
import { startUi, type RunningUi } from './harness.js';
import { request } from './http.js';

let root: string;
let url: string;
let producer: Machine;
let viewer: Machine;
const running: RunningUi[] = [];

async function ok(m: Machine, args: string[]): Promise<void> {
  const r = await m.run(args);
  expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(0);
}

beforeAll(async () => {
  root = tempDir('tessera-ui-remote-');
  url = pathToFileURL(await bareRemote(root)).href;
  producer = machine(root, 'pat', 'pat@acme.com', { TESSERA_REGISTRY: path.join(root, 'producer-clone') });
  viewer = machine(root, 'vic', 'vic@acme.com', { TESSERA_REGISTRY: url });
  await ok(producer, ['init', path.join(root, 'producer-clone'), '--remote', url]);
  await ok(producer, ['team', 'add', 'core', '--member', 'pat@acme.com']);
  await ok(producer, ['publish', 'users', writeJson(root, 'u.json', USERS_V1), '--owner', 'core']);
}, 120_000);

afterAll(async () => {
  for (const r of running) await r.stop();
  cleanupTempDirs();
});

const assetsOf = async (ui: RunningUi) => {
  const r = await request(ui.url, '/api/v1/assets');
  expect(r.status, r.body).toBe(200);
  return JSON.parse(r.body).assets as Array<{ id: string; consumers: string[]; current_version: string }>;
};

describe('tessera ui over a shared registry', () => {
  it('shows what others push, fetched when a page loads', async () => {
    const ui = await startUi(viewer, [], { TESSERA_UI_FETCH_INTERVAL_MS: '0' });
    running.push(ui);
    expect((await assetsOf(ui)).map((a) => a.id)).toEqual(['users']);
    expect(ui.output()).toContain(url);

    await ok(producer, ['publish', 'orders', writeJson(root, 'o.json', { type: 'object', properties: { id: { type: 'integer' } } }), '--owner', 'core']);
    await ok(producer, ['team', 'add', 'growth', '--member', 'pat@acme.com']);
    await ok(producer, ['consume', 'users', '--team', 'growth']);

    const seen = await assetsOf(ui);
    expect(seen.map((a) => `${a.id}:${a.consumers.join(',')}`)).toEqual(['orders:', 'users:growth']);
    const teams = JSON.parse((await request(ui.url, '/api/v1/teams')).body).teams.map((t: { team: { name: string } }) => t.team.name);
    expect(teams).toEqual(['core', 'growth']);

    // The patched index equals a full read by a fresh server.
    const fresh = await startUi(viewer);
    running.push(fresh);
    expect(await assetsOf(fresh)).toEqual(seen);
    expect((await request(fresh.url, '/')).body).toMatch(/<div class="n">2<\/div><div class="l">assets<\/div>/);
    expect((await request(ui.url, '/')).body).toMatch(/<div class="n">2<\/div><div class="l">assets<\/div>/);
  });
});
