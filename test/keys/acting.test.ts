/**
 * A key acting as its team, the way tessera serve will use it: workflows of
 * app/ run with keyIdentity(principal) as the actor. Every commit a key makes
 * carries `Tessera-Key`; a key acts for its own team only; `tessera log`
 * shows the key; `tessera verify` accepts acks made through keys of the
 * acking teams, and flags an ack made with a revoked, an expired or another
 * team's key, or by an address that claims a key without its trailer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publish } from '../../src/app/publish.js';
import { ack } from '../../src/app/ack.js';
import { consume } from '../../src/app/consume.js';
import { authenticate, keyIdentity } from '../../src/registry/keys.js';
import type { KeyPrincipal } from '../../src/core/keys.js';
import type { Identity } from '../../src/registry/commit-writer.js';
import { cleanupTempDirs, gitIn, USERS_V2_NO_EMAIL } from '../helpers/machines.js';
import { ANA, AT, BO, breakingUsers, LI, proposalRegistry, type ProposalRegistry } from '../app/proposals-fixture.js';

afterAll(cleanupTempDirs);

const USERS_V3 = { type: 'object', properties: { user_id: { type: 'integer' } }, required: ['user_id'] };

async function makeKey(reg: ProposalRegistry, who: Identity, args: string[]): Promise<{ principal: KeyPrincipal; secret: string }> {
  const r = await reg.run(who, ['key', 'create', ...args, '--json']);
  expect(r.exitCode, r.stderr).toBe(0);
  const { secret } = JSON.parse(r.stdout);
  const ctx = await reg.open(who);
  const principal = await authenticate(await ctx.repo.snapshot(), `Bearer ${secret}`, AT);
  expect(principal).toHaveProperty('keyId');
  return { principal: principal as KeyPrincipal, secret };
}

const trailersOf = async (gitDir: string, commit: string) => gitIn(gitDir, ['log', '-1', '--format=%an <%ae>%n%(trailers:only,unfold)', commit]);

describe('keys acting as their teams: trailers, membership, log, verify', () => {
  let reg: ProposalRegistry;
  let core: KeyPrincipal;
  let growth: KeyPrincipal;
  let billing: KeyPrincipal;
  beforeAll(async () => {
    reg = await proposalRegistry();
    core = (await makeKey(reg, ANA, ['--team', 'core', '--name', 'producer ci'])).principal;
    growth = (await makeKey(reg, LI, ['--team', 'growth'])).principal;
    billing = (await makeKey(reg, BO, ['--team', 'billing'])).principal;
  }, 120_000);
  afterAll(() => reg.closeAll());

  it('a key cannot act for another team: publish, register and ack refused with one line, nothing written', async () => {
    const before = await reg.refs();
    const asGrowth = await reg.open(keyIdentity(growth), AT);
    await expect(publish(asGrowth, { contract: { asset: 'users', schema: { ...USERS_V2_NO_EMAIL, properties: { ...USERS_V2_NO_EMAIL.properties, email: { type: 'string' }, extra: { type: 'string' } } } } })).rejects.toThrow(
      new RegExp(`^key ${growth.keyId} acts for team 'growth', not 'core', and cannot publish for it$`),
    );
    await expect(consume(asGrowth, { asset: 'users', team: 'billing' })).rejects.toThrow(/acts for team 'growth', not 'billing'/);
    expect(await reg.refs()).toBe(before);
  });

  it('the producer key publishes a breaking change, the consumer keys ack it, it merges; every commit names its key', async () => {
    const out = await publish(await reg.open(keyIdentity(core)), breakingUsers());
    const id = out.result.proposal!.id;
    const proposalCommit = Object.values(out.commits)[0]!;
    expect(await trailersOf(reg.gitDir, proposalCommit)).toMatch(new RegExp(`^core key producer ci <key-${core.keyId}@core\\.keys\\.tessera\\.invalid>\\n(.|\\n)*Tessera-Actor: key-${core.keyId}@core\\.keys\\.tessera\\.invalid\\nTessera-Key: ${core.keyId}$`, 'm'));
    // Another team's key on the ack: refused.
    const before = await reg.refs();
    await expect(ack(await reg.open(keyIdentity(growth)), { target: id, team: 'billing', decision: 'approve' })).rejects.toThrow(new RegExp(`key ${growth.keyId} acts for team 'growth', not 'billing', and cannot acknowledge for it`));
    expect(await reg.refs()).toBe(before);
    const g = await ack(await reg.open(keyIdentity(growth)), { target: id, team: 'growth', decision: 'approve' });
    expect(g.result.merged).toBe(false);
    const b = await ack(await reg.open(keyIdentity(billing)), { target: id, team: 'billing', decision: 'approve' });
    expect(b.result.merged).toBe(true);
    const main = await reg.head('refs/heads/main');
    expect(await trailersOf(reg.gitDir, main!)).toMatch(new RegExp(`Tessera-Event: proposal\\.merged(.|\\n)*Tessera-Key: ${billing.keyId}`));
    const side = (await gitIn(reg.gitDir, ['log', '-1', '--format=%P', main!])).trim().split(' ').slice(1);
    const sideTrailers = await Promise.all(side.map((c) => trailersOf(reg.gitDir, c)));
    expect(sideTrailers.join('\n')).toMatch(new RegExp(`Tessera-Team: growth(.|\\n)*Tessera-Key: ${growth.keyId}`));
    expect(sideTrailers.join('\n')).toMatch(new RegExp(`Tessera-Team: billing(.|\\n)*Tessera-Key: ${billing.keyId}`));

    const log = await reg.run(LI, ['log', '--json']);
    const events = JSON.parse(log.stdout).events as Array<{ event: string; key?: { id: string; team: string } }>;
    expect(events.find((e) => e.event === 'proposal.created')?.key).toEqual({ id: core.keyId, team: 'core' });
    expect(events.find((e) => e.event === 'proposal.merged')?.key).toEqual({ id: billing.keyId, team: 'billing' });
    expect(events.find((e) => e.event === 'key.created')?.key).toBeUndefined();
    const text = await reg.run(LI, ['log', '--team', 'core']);
    expect(text.stdout).toMatch(new RegExp(`proposal\\.created\\s+core key ${core.keyId}`));

    const verify = await reg.run(LI, ['verify']);
    expect(verify.exitCode, verify.stdout + verify.stderr).toBe(0);
  });

  it('verify flags acks made with a revoked key and with another team\'s key', async () => {
    // A second breaking change, acked through keys that should not count.
    const out = await publish(await reg.open(ANA), { contract: { asset: 'users', schema: USERS_V3 } });
    const id = out.result.proposal!.id;
    const revoked = await makeKey(reg, LI, ['--team', 'growth', '--name', 'old']);
    expect((await reg.run(LI, ['key', 'revoke', revoked.principal.keyId])).exitCode).toBe(0);
    // app/ does not authenticate (the server does): this is what a stolen, revoked key could write by hand.
    const g = await ack(await reg.open(keyIdentity(revoked.principal)), { target: id, team: 'growth', decision: 'approve' });
    expect(g.result.merged).toBe(false);
    // An address claiming billing, with growth's key in the trailer: passes the app's check, not verify's.
    const forged: Identity = { name: 'billing key', email: `key-${growth.keyId}@billing.keys.tessera.invalid`, key: growth.keyId };
    const b = await ack(await reg.open(forged), { target: id, team: 'billing', decision: 'approve' });
    expect(b.result.merged).toBe(true);
    const verify = await reg.run(LI, ['verify', '--json']);
    expect(verify.exitCode).toBe(1);
    const messages = (JSON.parse(verify.stdout).violations as Array<{ kind: string; message: string }>).map((v) => `${v.kind}: ${v.message}`).join('\n');
    expect(messages).toContain(`forged-ack: ack for team growth on ${id} was made by key-${revoked.principal.keyId}@growth.keys.tessera.invalid, with key ${revoked.principal.keyId}, revoked at 2026-03-01T12:00:00Z`);
    expect(messages).toContain(`forged-ack: ack for team billing on ${id} was made by key-${growth.keyId}@billing.keys.tessera.invalid, with key ${growth.keyId} of team growth, not of billing`);
    expect(messages).toMatch(/unapproved-breaking-change: users 3\.0\.0 is breaking .* merged without valid acks from billing \(acked by key-\S+ with key \w+ of team growth, not of billing\), growth \(acked by key-\S+ with key \w+, revoked at 2026-03-01T12:00:00Z\)/);
  });

  it('verify flags an ack by an expired key, and one by a person who set a key address as their git email (no trailer)', async () => {
    const fresh = await proposalRegistry();
    try {
      const id = (await publish(await fresh.open(ANA), breakingUsers())).result.proposal!.id;
      const shortLived = await makeKey(fresh, LI, ['--team', 'growth', '--expires', '1d']);
      const later = new Date(AT.getTime() + 2 * 86_400_000);
      await ack(await fresh.open(keyIdentity(shortLived.principal), later), { target: id, team: 'growth', decision: 'approve' });
      const billingKey = (await makeKey(fresh, BO, ['--team', 'billing'])).principal;
      // A person typing the key's address into their git config: no Tessera-Key trailer.
      const { key: _key, ...noTrailer } = keyIdentity(billingKey);
      const b = await ack(await fresh.open(noTrailer, later), { target: id, team: 'billing', decision: 'approve' });
      expect(b.result.merged).toBe(true);
      const verify = await fresh.run(LI, ['verify', '--json']);
      expect(verify.exitCode).toBe(1);
      const messages = (JSON.parse(verify.stdout).violations as Array<{ message: string }>).map((v) => v.message).join('\n');
      expect(messages).toContain(`ack for team growth on ${id} was made by key-${shortLived.principal.keyId}@growth.keys.tessera.invalid, with key ${shortLived.principal.keyId}, expired at 2026-03-02T12:00:00Z`);
      expect(messages).toContain(`ack for team billing on ${id} was made by key-${billingKey.keyId}@billing.keys.tessera.invalid, without the Tessera-Key: ${billingKey.keyId} trailer its address claims`);
    } finally {
      fresh.closeAll();
    }
  });
});

describe('a key under membership_checks: false, and a hand-edited key file', () => {
  it('a key still acts for its own team only; a person may act for any team', async () => {
    const reg = await proposalRegistry({ policy: { membership_checks: false }, consumers: ['growth'] });
    try {
      const growth = (await makeKey(reg, LI, ['--team', 'growth'])).principal;
      const before = await reg.refs();
      await expect(consume(await reg.open(keyIdentity(growth)), { asset: 'users', team: 'billing' })).rejects.toThrow(new RegExp(`^key ${growth.keyId} acts for team 'growth', not 'billing'`));
      const id = (await publish(await reg.open(ANA), breakingUsers())).result.proposal!.id;
      expect(await reg.refs()).not.toBe(before);
      const mid = await reg.refs();
      await expect(ack(await reg.open(keyIdentity(growth)), { target: id, team: 'billing', decision: 'approve' })).rejects.toThrow(/acts for team 'growth', not 'billing'/);
      expect(await reg.refs()).toBe(mid);
      // A person who is in no team: the policy lets them.
      await consume(await reg.open({ name: 'zed', email: 'zed@acme.com' }), { asset: 'users', team: 'billing' });
    } finally {
      reg.closeAll();
    }
  });

  it('verify reports a key file whose hash parameters are out of bounds, or whose id is not its name', async () => {
    const reg = await proposalRegistry({ consumers: [] });
    try {
      const { principal: k, secret } = await makeKey(reg, LI, ['--team', 'growth']);
      const { writeFileSync, readFileSync } = await import('node:fs');
      const path = await import('node:path');
      const work = path.join(reg.root, 'edit');
      await gitIn(reg.root, ['clone', '--quiet', reg.gitDir, work]);
      const file = path.join(work, 'keys', `${k.keyId}.yaml`);
      const original = readFileSync(file, 'utf8');
      writeFileSync(file, original.replace(/^( {2}N:) \d+$/m, '$1 3000'));
      writeFileSync(path.join(work, 'keys', '000000000000.yaml'), original);
      await gitIn(work, ['-c', 'user.email=li@acme.com', '-c', 'user.name=li', 'add', '-A']);
      await gitIn(work, ['-c', 'user.email=li@acme.com', '-c', 'user.name=li', 'commit', '-qm', 'hand edit']);
      await gitIn(work, ['push', '--quiet', 'origin', 'HEAD:main']);
      // authenticate treats a key file it cannot read as no key at all.
      const ctx = await reg.open(LI);
      expect(await authenticate(await ctx.repo.snapshot(), `Bearer ${secret}`, AT)).toMatchObject({ status: 401, code: 'unknown_key' });
      const verify = await reg.run(LI, ['verify', '--json']);
      expect(verify.exitCode).toBe(1);
      const violations = JSON.parse(verify.stdout).violations as Array<{ kind: string; path: string; message: string }>;
      expect(violations.map((v) => [v.kind, v.path])).toEqual([
        ['invalid-file', 'keys/000000000000.yaml'],
        ['invalid-file', `keys/${k.keyId}.yaml`],
      ]);
      expect(violations[0]!.message).toBe(`keys/000000000000.yaml says id: ${k.keyId}, but its path says 000000000000`);
      expect(violations[1]!.message).toMatch(/N.*power of 2/);
    } finally {
      reg.closeAll();
    }
  });
});
