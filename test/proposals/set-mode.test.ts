/**
 * Moving a registry made before the consumer mode: its tessera.yaml (as the
 * old `init` wrote it) says compatibility_mode backward and guarantee_mode
 * notify, and its table assets were judged under backward. They keep that
 * mode until `tessera set-mode consumer --tables --guarantee-mode strict`,
 * one command, one commit, moves them all.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { cleanupTempDirs, gitIn, machine, tempDir, writeJson, type Machine } from '../helpers/machines.js';
import { runJson } from '../sync/helpers.js';

afterAll(cleanupTempDirs);

const OLD_CONFIG = `# Tessera registry settings (format 1). See docs/registry-format.md.
format: 1
defaults:
  compatibility_mode: backward
  content_model: closed
  guarantee_mode: notify
  proposal_ttl_days: 30
policy:
  membership_checks: true
`;

const V1 = { type: 'object', properties: { id: { type: 'integer' }, nickname: { type: 'string' } }, required: ['id'] };
/** Making nickname NOT NULL: breaking under backward (old rows may lack it), compatible for readers. */
const NOT_NULL = { ...V1, required: ['id', 'nickname'] };

let root: string;
let registry: string;
let pat: Machine;

async function writeConfigByHand(text: string): Promise<void> {
  const work = path.join(root, `work-${Math.random().toString(36).slice(2)}`);
  await gitIn(root, ['clone', '--quiet', registry, work]);
  writeFileSync(path.join(work, 'tessera.yaml'), text);
  await gitIn(work, ['-c', 'user.email=pat@acme.com', '-c', 'user.name=pat', 'commit', '-qam', 'settings as an old init wrote them']);
  await gitIn(work, ['push', '--quiet', 'origin', 'main']);
}

const check = async (asset: string, schema: object) => (await pat.run(['check', asset, writeJson(root, `${asset}-check.json`, schema), '--json'])).exitCode;

describe('tessera set-mode', () => {
  beforeEach(async () => {
    root = tempDir();
    registry = path.join(root, 'r.git');
    pat = machine(root, 'pat', 'pat@acme.com', { TESSERA_REGISTRY: registry });
    expect((await pat.run(['init', registry])).exitCode).toBe(0);
    // An old registry: its tables were created under backward, the old default.
    await writeConfigByHand(OLD_CONFIG.replace('compatibility_mode: backward', 'compatibility_mode: backward\n  table_compatibility_mode: backward'));
    await runJson(pat, ['team', 'add', 'core', '--member', 'pat@acme.com']);
    await runJson(pat, ['publish', 'users', writeJson(root, 'v1.json', V1), '--owner', 'core']);
    await runJson(pat, ['publish', 'clicks', writeJson(root, 'c1.json', V1), '--owner', 'core', '--kind', 'topic']);
    await writeConfigByHand(OLD_CONFIG);
  });

  it('existing tables keep their recorded mode; a new table gets consumer', async () => {
    expect(await check('users', NOT_NULL)).toBe(1);
    await runJson(pat, ['publish', 'orders', writeJson(root, 'o1.json', V1), '--owner', 'core']);
    expect(await check('orders', NOT_NULL)).toBe(0);
  });

  it('one command moves every table (and only tables), records it, and is idempotent', async () => {
    const dry = await runJson(pat, ['set-mode', 'consumer', '--tables', '--guarantee-mode', 'strict', '--dry-run']);
    expect(dry).toMatchObject({ dry_run: true, commit: null, moved: [{ asset: 'users', from: 'backward', to: 'consumer' }] });
    expect(await check('users', NOT_NULL)).toBe(1);

    const moved = await runJson(pat, ['set-mode', 'consumer', '--tables', '--guarantee-mode', 'strict']);
    expect(moved.moved.map((m: { asset: string }) => m.asset)).toEqual(['users']);
    // The old file does not name the table default: the command writes it, so the file says what new tables get.
    expect(moved.table_default).toEqual({ from: 'consumer', to: 'consumer' });
    expect((await gitIn(registry, ['show', 'main:tessera.yaml']))).toMatch(/table_compatibility_mode: consumer/);
    expect(await check('users', NOT_NULL)).toBe(0);
    // The topic keeps backward.
    expect(await check('clicks', NOT_NULL)).toBe(1);

    const shown = await runJson(pat, ['show', 'users']);
    expect(shown.asset).toMatchObject({ compatibility_mode: 'consumer', guarantee_mode: 'strict' });
    const log = await pat.run(['log', '--json']);
    expect(log.stdout).toContain('asset.mode_changed');
    expect((await runJson(pat, ['set-mode', 'consumer', '--tables', '--guarantee-mode', 'strict'])).moved).toEqual([]);
    expect((await pat.run(['verify'])).exitCode).toBe(0);
  });

  it('refuses without assets or --tables, an unknown asset, a non-member; nothing written', async () => {
    const head = async () => (await gitIn(registry, ['rev-parse', 'main'])).trim();
    const before = await head();
    const none = await pat.run(['set-mode', 'consumer']);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toMatch(/needs assets or --tables/);
    const unknown = await pat.run(['set-mode', 'consumer', 'nope']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/unknown asset 'nope'/);
    const bea = machine(root, 'bea', 'bea@acme.com', { TESSERA_REGISTRY: registry });
    const outsider = await bea.run(['set-mode', 'consumer', 'users']);
    expect(outsider.exitCode).not.toBe(0);
    expect(outsider.stderr).toMatch(/not a member of team 'core'/);
    expect(await head()).toBe(before);
  });
});
