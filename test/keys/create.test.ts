/**
 * API keys through the real binary: `tessera key create` prints the secret
 * once and the registry keeps only its scrypt hash; only a member of the
 * team (or a policy.ci_actors identity) may create one; bad input is refused
 * with one line and nothing written. Then `authenticate`, as the server
 * calls it, on a snapshot of that registry: the principal, and each refusal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { authenticate, keyIdentity } from '../../src/registry/keys.js';
import { Repository } from '../../src/registry/repository.js';
import { cleanupTempDirs, gitIn, machine, refState, tempDir, type Machine } from '../helpers/machines.js';

afterAll(cleanupTempDirs);

const SECRET = /^tsk_([a-z0-9]{12})_[A-Za-z0-9_-]{43}$/;

let gitDir: string;
let ana: Machine;
let fin: Machine;
let secret: string;
let keyId: string;

async function everything(dir: string): Promise<string> {
  // Every object in the repository, reachable or not, as text.
  const ids = (await gitIn(dir, ['cat-file', '--batch-all-objects', '--batch-check=%(objectname)'])).split('\n').filter(Boolean);
  const texts = await Promise.all(ids.map((id) => gitIn(dir, ['cat-file', '-p', id])));
  return texts.join('\n');
}

beforeAll(async () => {
  const root = tempDir('tessera-keys-');
  gitDir = path.join(root, 'registry.git');
  ana = machine(root, 'ana', 'ana@acme.com', { TESSERA_REGISTRY: gitDir, TESSERA_NOW: '2026-03-01T10:00:00Z' });
  fin = machine(root, 'fin', 'fin@acme.com', { TESSERA_REGISTRY: gitDir, TESSERA_NOW: '2026-03-01T10:00:00Z' });
  expect((await ana.run(['init', gitDir])).exitCode).toBe(0);
  expect((await ana.run(['team', 'add', 'growth', '--member', 'ana@acme.com'])).exitCode).toBe(0);
  expect((await fin.run(['team', 'add', 'finance', '--member', 'fin@acme.com'])).exitCode).toBe(0);
  const made = await ana.run(['key', 'create', '--team', 'growth', '--name', 'airflow prod']);
  expect(made.exitCode, made.stderr).toBe(0);
  secret = made.stdout.trim();
  keyId = SECRET.exec(secret)?.[1] ?? '';
  expect(made.stderr).toMatch(new RegExp(`Created write key ${keyId} for team growth, no expiry\\. The secret below is shown only now`));
}, 120_000);

describe('tessera key create', () => {
  it('prints the secret once on stdout; the registry holds only a salted scrypt hash', async () => {
    expect(secret).toMatch(SECRET);
    const file = await gitIn(gitDir, ['show', `main:keys/${keyId}.yaml`]);
    expect(file).toMatch(/algorithm: scrypt/);
    expect(file).toMatch(/team: growth/);
    expect(file).toMatch(/scope: write/);
    expect(file).toMatch(/name: airflow prod/);
    expect(file).toMatch(/created_by: ana@acme.com/);
    const all = await everything(gitDir);
    expect(all).toContain(keyId);
    expect(all).not.toContain(secret);
    expect(all).not.toContain(secret.slice(`tsk_${keyId}_`.length));
    const log = await gitIn(gitDir, ['log', '-1', '--format=%B', 'main']);
    expect(log).toMatch(/^create write key [a-z0-9]{12} for team growth/);
    expect(log).toMatch(/Tessera-Event: key\.created/);
  });

  it('two keys never share a secret, a salt or an id; --json carries the secret, the scope and the expiry', async () => {
    const r = await ana.run(['key', 'create', '--team', 'growth', '--scope', 'read', '--expires', '90d', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ schema_version: 'tessera.key-create/v1', action: 'key.created', key: { team: 'growth', scope: 'read', status: 'active', expires_at: '2026-05-30T10:00:00Z', created_by: 'ana@acme.com' } });
    expect(out.key.hash).toBeUndefined();
    expect(out.secret).toMatch(SECRET);
    expect(out.secret).not.toBe(secret);
    expect(out.key.id).not.toBe(keyId);
    const salt = (f: string) => /salt: (\S+)/.exec(f)?.[1];
    const a = await gitIn(gitDir, ['show', `main:keys/${keyId}.yaml`]);
    const b = await gitIn(gitDir, ['show', `main:keys/${out.key.id}.yaml`]);
    expect(salt(a)).toBeDefined();
    expect(salt(a)).not.toBe(salt(b));
  });

  it('a non-member of the team is refused (exit 1, one line), nothing written', async () => {
    const before = await refState(gitDir);
    const r = await fin.run(['key', 'create', '--team', 'growth']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/fin@acme.com is not a member of team 'growth' and cannot create a key for team 'growth'/);
    expect(r.stdout).toBe('');
    expect(await refState(gitDir)).toBe(before);
  });

  it('a policy.ci_actors identity may create a key for any team', async () => {
    const root = tempDir('tessera-keys-ci-');
    const dir = path.join(root, 'registry.git');
    const bot = machine(root, 'bot', 'ci-bot@acme.com', { TESSERA_REGISTRY: dir });
    const owner = machine(root, 'ana', 'ana@acme.com', { TESSERA_REGISTRY: dir });
    expect((await owner.run(['init', dir])).exitCode).toBe(0);
    expect((await owner.run(['team', 'add', 'growth', '--member', 'ana@acme.com'])).exitCode).toBe(0);
    expect((await bot.run(['key', 'create', '--team', 'growth'])).exitCode).toBe(1);
    const work = path.join(root, 'work');
    await gitIn(root, ['clone', '--quiet', dir, work]);
    const config = await gitIn(work, ['show', 'HEAD:tessera.yaml']);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(work, 'tessera.yaml'), config.replace(/ci_actors: \[\]/, 'ci_actors: [ci-bot@acme.com]'));
    expect(config).toMatch(/ci_actors: \[\]/);
    await gitIn(work, ['-c', 'user.name=ana', '-c', 'user.email=ana@acme.com', 'commit', '--quiet', '-am', 'ci bot may act for every team']);
    await gitIn(work, ['push', '--quiet', 'origin', 'HEAD:main']);
    const r = await bot.run(['key', 'create', '--team', 'growth']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(SECRET);
  });

  it.each([
    [['--team', '../etc'], /team name "\.\.\/etc" is not allowed/],
    [['--team', 'nobody'], /unknown team 'nobody'/],
    [['--team', 'growth', '--name', 'evil\nname'], /--name must be 1 to 100 characters without control characters/],
    [['--team', 'growth', '--name', 'x'.repeat(101)], /--name must be 1 to 100 characters/],
    [['--team', 'growth', '--expires', 'soon'], /--expires "soon" is not a lifetime or a date/],
    [['--team', 'growth', '--expires', '2020-01-01'], /--expires 2020-01-01 is already past/],
    [['--team', 'growth', '--scope', 'root'], /argument 'root' is invalid/],
    [[], /required option '--team <team>' not specified/],
  ])('refuses key create %j with one line, exit 2, nothing written', async (args, message) => {
    const before = await refState(gitDir);
    const r = await ana.run(['key', 'create', ...args]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(await refState(gitDir)).toBe(before);
  });
});

describe('authenticate (what tessera serve calls per request)', () => {
  let repo: Repository;
  const now = new Date('2026-03-02T00:00:00Z');
  beforeAll(async () => {
    repo = await Repository.openGitDir(gitDir);
  });
  afterAll(() => repo?.close());

  it('a valid Bearer key gives its team, scope and name; keyIdentity acts as that team', async () => {
    const snap = await repo.snapshot();
    const p = await authenticate(snap, `Bearer ${secret}`, now);
    expect(p).toEqual({ keyId, team: 'growth', scope: 'write', name: 'airflow prod' });
    // Again, from the verified-secret memo: the same answer.
    expect(await authenticate(snap, `bearer  ${secret}`, now)).toEqual(p);
    expect(keyIdentity(p as never)).toEqual({ name: 'growth key airflow prod', email: `key-${keyId}@growth.keys.tessera.invalid`, key: keyId });
  });

  it.each([
    ['no header', undefined, 'no_key'],
    ['an empty header', '  ', 'no_key'],
    ['another scheme', `Basic ${Buffer.from('a:b').toString('base64')}`, 'no_key'],
    ['no token', 'Bearer', 'no_key'],
    ['a malformed token', 'Bearer tsk_nope', 'unknown_key'],
    ['a token with spaces after it', 'Bearer tsk_abc def', 'no_key'],
    ['an unknown id', `Bearer tsk_000000000000_${'A'.repeat(43)}`, 'unknown_key'],
  ])('401 for %s', async (_what, header, code) => {
    const r = await authenticate(await repo.snapshot(), header, now);
    expect(r).toMatchObject({ status: 401, code });
    expect((r as { message: string }).message).not.toMatch(/tsk_/);
  });

  it('401 unknown_key for the right id with a wrong secret, and the refusal never echoes it', async () => {
    const wrong = secret.slice(0, -4) + (secret.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const r = await authenticate(await repo.snapshot(), `Bearer ${wrong}`, now);
    expect(r).toMatchObject({ status: 401, code: 'unknown_key', message: 'the API key is not valid' });
    expect(JSON.stringify(r)).not.toContain(wrong.slice(17));
  });

  it('401 expired_key once the key has expired', async () => {
    const r = await ana.run(['key', 'create', '--team', 'growth', '--expires', '1d']);
    expect(r.exitCode, r.stderr).toBe(0);
    const s = r.stdout.trim();
    const snap = await repo.snapshot();
    expect(await authenticate(snap, `Bearer ${s}`, new Date('2026-03-02T09:59:59Z'))).toMatchObject({ team: 'growth' });
    const late = await authenticate(snap, `Bearer ${s}`, new Date('2026-03-02T10:00:00Z'));
    expect(late).toMatchObject({ status: 401, code: 'expired_key', message: `API key ${SECRET.exec(s)![1]} expired at 2026-03-02T10:00:00Z` });
    expect(JSON.stringify(late)).not.toContain(s);
  });
});
