/**
 * `tessera key list` and `tessera key revoke` through the real binary: the
 * list never shows a secret or a hash; revoking is for the team's members,
 * is recorded with who and when, and from then on `authenticate` refuses
 * the key; bad ids are refused with one line and nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { authenticate } from '../../src/registry/keys.js';
import { Repository } from '../../src/registry/repository.js';
import { cleanupTempDirs, gitIn, machine, refState, tempDir, type Machine } from '../helpers/machines.js';

afterAll(cleanupTempDirs);

let gitDir: string;
let ana: Machine;
let fin: Machine;
const made: Array<{ id: string; secret: string }> = [];

beforeAll(async () => {
  const root = tempDir('tessera-keys-list-');
  gitDir = path.join(root, 'registry.git');
  const env = { TESSERA_REGISTRY: gitDir, TESSERA_NOW: '2026-03-01T10:00:00Z' };
  ana = machine(root, 'ana', 'ana@acme.com', env);
  fin = machine(root, 'fin', 'fin@acme.com', env);
  expect((await ana.run(['init', gitDir])).exitCode).toBe(0);
  expect((await ana.run(['team', 'add', 'growth', '--member', 'ana@acme.com'])).exitCode).toBe(0);
  expect((await fin.run(['team', 'add', 'finance', '--member', 'fin@acme.com'])).exitCode).toBe(0);
  for (const [who, args] of [
    [ana, ['--team', 'growth', '--name', 'airflow']],
    [ana, ['--team', 'growth', '--scope', 'read', '--expires', '2026-06-01']],
    [fin, ['--team', 'finance', '--scope', 'admin']],
  ] as const) {
    const r = await who.run(['key', 'create', ...args, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    made.push({ id: out.key.id, secret: out.secret });
  }
}, 120_000);

describe('tessera key list', () => {
  it('lists every key with team, scope and status, and never a secret, a salt or a hash', async () => {
    const r = await ana.run(['key', 'list', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.schema_version).toBe('tessera.key-list/v1');
    expect(out.keys.map((k: { id: string }) => k.id).sort()).toEqual(made.map((m) => m.id).sort());
    expect(out.keys.find((k: { id: string }) => k.id === made[1]!.id)).toMatchObject({ team: 'growth', scope: 'read', status: 'active', expires_at: '2026-06-01T00:00:00Z' });
    for (const k of out.keys) expect(Object.keys(k).sort()).toEqual(expect.not.arrayContaining(['hash', 'salt', 'secret']));
    const text = await ana.run(['key', 'list']);
    expect(text.stdout.split('\n')).toHaveLength(3);
    expect(text.stdout).toMatch(new RegExp(`^${made[0]!.id}  growth  write  active  "airflow"  created 2026-03-01T10:00:00Z by ana@acme.com, no expiry$`, 'm'));
    for (const s of [r.stdout, text.stdout]) {
      for (const m of made) expect(s).not.toContain(m.secret.slice(17));
      expect(s).not.toMatch(/scrypt/);
    }
  });

  it('--team shows only that team; an expired key says so', async () => {
    const r = await ana.run(['key', 'list', '--team', 'finance', '--json'], undefined);
    expect(JSON.parse(r.stdout).keys.map((k: { id: string }) => k.id)).toEqual([made[2]!.id]);
    const later = await tessLater(['key', 'list', '--team', 'growth']);
    expect(later).toMatch(new RegExp(`^${made[1]!.id}  growth  read  expired  ""  .*expired 2026-06-01T00:00:00Z$`, 'm'));
    const none = await ana.run(['key', 'list', '--team', 'nobody']);
    expect(none.stdout).toBe('No keys for team nobody. Create one with: tessera key create --team <team>');
    const bad = await ana.run(['key', 'list', '--team', '../x']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/team name "\.\.\/x" is not allowed/);
  });
});

async function tessLater(args: string[]): Promise<string> {
  const root = tempDir('tessera-keys-later-');
  const m = machine(root, 'ana', 'ana@acme.com', { TESSERA_REGISTRY: gitDir, TESSERA_NOW: '2026-07-01T00:00:00Z' });
  const r = await m.run(args);
  expect(r.exitCode, r.stderr).toBe(0);
  return r.stdout;
}

describe('tessera key revoke', () => {
  it('a non-member of the key\'s team is refused, nothing written', async () => {
    const before = await refState(gitDir);
    const r = await fin.run(['key', 'revoke', made[0]!.id]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`fin@acme.com is not a member of team 'growth' and cannot revoke a key of team 'growth'`));
    expect(await refState(gitDir)).toBe(before);
  });

  it.each([
    ['../../etc/passwd', /key id "\.\.\/\.\.\/etc\/passwd" is not a key id/],
    ['ABCDEF012345', /key id "ABCDEF012345" is not a key id/],
    ['000000000000', /unknown key 000000000000 \(see: tessera key list\)/],
  ])('refuses %j with one line, exit 2, nothing written', async (id, message) => {
    const before = await refState(gitDir);
    const r = await ana.run(['key', 'revoke', id]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(await refState(gitDir)).toBe(before);
  });

  it('a member revokes: recorded with who and when; authenticate then refuses it; a second revoke changes nothing', async () => {
    const repo = await Repository.openGitDir(gitDir);
    try {
      const now = new Date('2026-03-02T00:00:00Z');
      expect(await authenticate(await repo.snapshot(), `Bearer ${made[0]!.secret}`, now)).toMatchObject({ team: 'growth' });
      const r = await ana.run(['key', 'revoke', made[0]!.id, '--json']);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ action: 'key.revoked', key: { id: made[0]!.id, status: 'revoked', revoked_at: '2026-03-01T10:00:00Z', revoked_by: 'ana@acme.com' } });
      expect(await gitIn(gitDir, ['log', '-1', '--format=%B', 'main'])).toMatch(new RegExp(`^revoke key ${made[0]!.id} of team growth\\n\\nTessera-Event: key\\.revoked\\nTessera-Team: growth\\nTessera-Key-Id: ${made[0]!.id}\\nTessera-Actor: ana@acme.com`));
      const refused = await authenticate(await repo.snapshot(), `Bearer ${made[0]!.secret}`, now);
      expect(refused).toEqual({ status: 401, code: 'revoked_key', message: `API key ${made[0]!.id} was revoked at 2026-03-01T10:00:00Z`, fix: 'ask team growth for a new key: tessera key create --team growth' });
      // The other keys are untouched.
      expect(await authenticate(await repo.snapshot(), `Bearer ${made[2]!.secret}`, now)).toEqual({ keyId: made[2]!.id, team: 'finance', scope: 'admin' });
      const before = await refState(gitDir);
      const again = await ana.run(['key', 'revoke', made[0]!.id]);
      expect(again.exitCode).toBe(0);
      expect(again.stdout).toBe(`Key ${made[0]!.id} was already revoked at 2026-03-01T10:00:00Z`);
      expect(await refState(gitDir)).toBe(before);
    } finally {
      repo.close();
    }
  });
});
