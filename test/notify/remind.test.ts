/**
 * `tessera notify --remind`, through the real binary on a real registry: a
 * real SMTP server reads finance's digest, a real HTTP receiver verifies
 * growth's with standardwebhooks, --older-than filters by creation time
 * (TESSERA_NOW pins the clock), a re-run the same day repeats the webhook-id,
 * an unset variable is a one-line warning, a bad duration is refused.
 *
 * The story: core owns users, orders and sessions. growth and finance consume
 * users (a breaking publish opens p-users; growth acks it), finance alone
 * orders, growth alone sessions; each asset then has a proposal.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { Ajv } from 'ajv';
import { tessera } from '../helpers/cli.js';
import { cleanupTempDirs, gitIn, machine, refState, tempDir, writeJson, USERS_V1, USERS_V2_NO_EMAIL, type Machine } from '../helpers/machines.js';
import { receiver, type Receiver } from './receiver.js';
import { closers, plainPart, smtpServer } from './smtp-server.js';
import { channel, SECRET } from './fixtures.js';
import { buildDigests, type WaitingProposal } from '../../src/core/notify/digest.js';
import { slackMessage } from '../../src/core/notify/slack.js';
import { emailMessage } from '../../src/core/notify/email.js';
import type { Channel } from '../../src/core/notify/types.js';
import { EVENT_SCHEMA_DIR } from '../../scripts/gen-event-schemas.mjs';

const CREATED = { users: '2026-11-15T09:00:00Z', orders: '2026-12-10T09:00:00Z', sessions: '2026-12-11T09:00:00Z' };
/** Two days before users expires (30-day default TTL): users is flagged, the others are not. */
const NOW = '2026-12-13T09:00:00Z';

let root: string;
let registry: string;
let pat: Machine;
const ids: Record<string, string> = {};

async function run(args: string[], env: Record<string, string> = {}, at = NOW) {
  return tessera(args, { env: { ...pat.env, TESSERA_NOW: at, ...env }, cwd: root });
}

/** Commits channels/<name>.yaml files to main with plain git, the way someone pushes them by hand. */
async function commitChannels(files: Record<string, string>): Promise<void> {
  const work = path.join(root, `channels-work-${Date.now()}`);
  await gitIn(root, ['clone', '--quiet', registry, work]);
  mkdirSync(path.join(work, 'channels'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(work, 'channels', `${name}.yaml`), text);
  await gitIn(work, ['add', 'channels'], pat.env);
  await gitIn(work, ['commit', '--quiet', '-m', 'add channels'], pat.env);
  await gitIn(work, ['push', '--quiet', 'origin', 'HEAD:main'], pat.env);
}

const channelYaml = (name: string, type: string, teams: string[], extra: string) =>
  `name: ${name}\ntype: ${type}\nteams: [${teams.join(', ')}]\n${extra}created_at: "2026-11-01T00:00:00Z"\ncreated_by: pat <pat@acme.com>\n`;

async function ok(args: string[], at = NOW) {
  const r = await run(args, {}, at);
  expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
}

beforeAll(async () => {
  root = tempDir();
  registry = path.join(root, 'registry');
  pat = machine(root, 'pat', 'pat@acme.com', { TESSERA_REGISTRY: registry });
  await ok(['init', registry]);
  for (const team of ['core', 'growth', 'finance']) await ok(['team', 'add', team, '--member', 'pat@acme.com']);
  const v1 = writeJson(root, 'v1.json', { schema: USERS_V1, compatibility_mode: 'backward' });
  const v2 = writeJson(root, 'v2.json', USERS_V2_NO_EMAIL);
  const consumers = { users: ['growth', 'finance'], orders: ['finance'], sessions: ['growth'] };
  for (const [asset, teams] of Object.entries(consumers)) {
    await ok(['publish', asset, v1, '--owner', 'core'], '2026-11-01T00:00:00Z');
    for (const team of teams) await ok(['consume', asset, '--team', team], '2026-11-01T00:00:00Z');
  }
  for (const asset of ['users', 'orders', 'sessions'] as const) {
    const r = await ok(['publish', asset, v2, '--json'], CREATED[asset]);
    ids[asset] = (JSON.parse(r.stdout) as { proposal: { id: string } }).proposal.id;
  }
  await ok(['ack', ids.users!, '--team', 'growth'], '2026-11-16T09:00:00Z');
}, 120_000);

afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});
afterAll(cleanupTempDirs);

describe('buildDigests (pure)', () => {
  const base: WaitingProposal = { id: 'p-00000001', asset: 'users', from_version: '1.0.0', to_version: '2.0.0', created_at: '2026-12-01T00:00:00Z', expires_at: '2026-12-31T00:00:00Z', pending: ['growth'], breaking_rules: ['R', 'R'] };
  const at = new Date('2026-12-13T09:00:00Z');
  const build = (proposals: WaitingProposal[], channels: Channel[] = []) => buildDigests({ proposals, channels, now: at, olderThanMs: 0, commit: 'a'.repeat(40), actor: 'pat' });

  it('leaves out proposals already past their expiry, and teams with nothing waiting', () => {
    const d = build([{ ...base, expires_at: '2026-12-13T08:59:59Z' }, { ...base, id: 'p-00000002', pending: [] }]);
    expect(d).toEqual([]);
  });

  it('a team no channel serves still gets its digest built, with no channel (the command lists it as unsent)', () => {
    const d = build([base], [channel('webhook', { teams: ['finance'] })]);
    expect(d.map((x) => [x.team, x.channels.length, x.items[0]!.breaking_rules])).toEqual([['growth', 0, ['R']]]);
  });

  it('a digest of 60 proposals stays within Slack limits and says how many more', () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ ...base, id: `p-${String(i).padStart(8, '0')}`, asset: 'a'.repeat(400) }));
    const [d] = build(many);
    const m = slackMessage(d!.event, channel('slack'));
    expect(m.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(m.blocks)).toContain('… and 15 more: `tessera proposals --pending-for growth`');
    expect(m.text.length).toBeLessThanOrEqual(3000);
    for (const b of m.blocks) if (b['type'] === 'section') expect((b['text'] as { text: string }).text.length).toBeLessThanOrEqual(3000);
  });

  it('user text cannot inject HTML into the digest email', () => {
    const [d] = build([{ ...base, asset: '<script>x</script>' }]);
    const m = emailMessage(d!.event, channel('email'));
    expect(m.html).not.toContain('<script>');
    expect(m.html).toContain('&lt;script&gt;');
  });
});

describe('tessera notify --remind', () => {
  let growthHook: Receiver;
  let slack: Receiver;
  beforeAll(async () => {
    await commitChannels({
      'growth-hook': channelYaml('growth-hook', 'webhook', ['growth'], 'url_env: GROWTH_URL\nsecret_env: GROWTH_SECRET\n'),
      'finance-mail': channelYaml('finance-mail', 'email', ['finance'], 'url_env: FINANCE_SMTP\nto: [finance@example.com]\n'),
      'finance-slack': channelYaml('finance-slack', 'slack', ['finance'], 'url_env: FINANCE_SLACK\n'),
    });
    growthHook = await receiver([200]);
    slack = await receiver([200]);
  });
  afterAll(async () => {
    await growthHook.close();
    await slack.close();
  });

  it("finance's digest email lists both proposals with expiry and ack commands; growth's verified webhook omits the one it acked", async () => {
    const smtp = await smtpServer();
    const before = await refState(registry);
    const r = await run(['notify', '--remind', '--json'], { GROWTH_URL: growthHook.url, GROWTH_SECRET: SECRET, FINANCE_SMTP: `smtp://127.0.0.1:${smtp.port}?from=tessera@acme.com`, FINANCE_SLACK: slack.url });
    expect(r.exitCode, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { digests: Array<{ team: string; channel: string; id: string; proposals: string[]; result: { ok: boolean } }>; unserved: unknown[] };
    expect(out.digests.map((d) => `${d.team}/${d.channel}:${d.proposals.join(',')}:${d.result.ok}`).sort()).toEqual([
      `finance/finance-mail:${ids.users},${ids.orders}:true`,
      `finance/finance-slack:${ids.users},${ids.orders}:true`,
      `growth/growth-hook:${ids.sessions}:true`,
    ]);
    expect(out.unserved).toEqual([]);
    expect(JSON.parse(r.stdout).schema_version).toBe('tessera.notify-remind/v1');

    expect(smtp.got).toHaveLength(1);
    expect(smtp.got[0]!.to).toEqual(['finance@example.com']);
    expect(smtp.got[0]!.raw).toMatch(/^Subject: \[tessera\] 2 proposals still wait for finance\r$/m);
    const text = plainPart(smtp.got[0]!.raw);
    expect(text).toContain(
      [`- users 1.0.0 → 2.0.0 (proposal ${ids.users})`, `  Created: ${CREATED.users}`, '  Expires: 2026-12-15T09:00:00Z (expires within 3 days)', '  Breaking: PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL', `  To answer: tessera ack ${ids.users} --team finance`].join('\n'),
    );
    expect(text).toContain(`  To answer: tessera ack ${ids.users} --team finance`);
    expect(text).toContain([`- orders 1.0.0 → 2.0.0 (proposal ${ids.orders})`, `  Created: ${CREATED.orders}`, '  Expires: 2027-01-09T09:00:00Z\n'].join('\n'));
    expect(text).toContain(`  To answer: tessera ack ${ids.orders} --team finance`);
    expect(text).not.toContain(ids.sessions!);

    expect(growthHook.received).toHaveLength(1);
    const got = growthHook.received[0]!;
    const payload = new Webhook(SECRET).verify(got.body, got.headers) as { type: string; data: { id: string; team: string; proposals: Array<{ proposal: string; ack_command: string; expires_soon: boolean }> } };
    expect(payload.type).toBe('reminder.digest');
    expect(got.headers['webhook-id']).toBe(payload.data.id);
    expect(payload.data.team).toBe('growth');
    expect(payload.data.proposals.map((p) => p.proposal)).toEqual([ids.sessions]);
    expect(payload.data.proposals[0]).toMatchObject({ ack_command: `tessera ack ${ids.sessions} --team growth`, expires_soon: false });
    expect(got.body).not.toContain(ids.users!);
    const schema = JSON.parse(readFileSync(path.join(EVENT_SCHEMA_DIR, 'reminder.digest.schema.json'), 'utf8'));
    const ajv = new Ajv({ strict: true });
    expect(ajv.validate(schema, JSON.parse(got.body)), ajv.errorsText()).toBe(true);

    const message = JSON.parse(slack.received[0]!.body) as { text: string; blocks: Array<{ type: string; text?: { text: string } }> };
    expect(message.blocks[0]!.text!.text).toBe('2 proposals still wait for finance');
    expect(message.blocks.filter((b) => b.type === 'section').map((b) => b.text!.text).join('\n')).toContain(`:warning: 2026-12-15T09:00:00Z (expires within 3 days)`);
    expect(message.text).toContain(`tessera ack ${ids.orders} --team finance`);

    // Reminders are not recorded: the registry is exactly as it was.
    expect(await refState(registry)).toBe(before);
  });

  it('a re-run the same day repeats the webhook-id; the next day, or another set of proposals, is new', async () => {
    const env = { GROWTH_URL: growthHook.url, GROWTH_SECRET: SECRET };
    const seen: string[] = [];
    for (const at of ['2026-12-13T10:00:00Z', '2026-12-13T23:59:00Z', '2026-12-14T00:01:00Z']) {
      const n = growthHook.received.length;
      const r = await run(['notify', '--remind'], env, at);
      expect(r.exitCode).toBe(0);
      expect(growthHook.received).toHaveLength(n + 1);
      seen.push(growthHook.received[n]!.headers['webhook-id']!);
    }
    expect(seen[0]).toMatch(/^rem_[0-9a-f]{24}$/);
    expect(seen[1]).toBe(seen[0]);
    expect(seen[2]).not.toBe(seen[0]);

    // finance the same day: all its proposals, then only users (--older-than 4d), are two different digests.
    const digestIds = async (extra: string[]) => {
      const r = await run(['notify', '--remind', '--json', ...extra], { FINANCE_SLACK: slack.url }, '2026-12-13T10:00:00Z');
      return (JSON.parse(r.stdout) as { digests: Array<{ channel: string; id: string }> }).digests.filter((d) => d.channel === 'finance-slack').map((d) => d.id);
    };
    const [all] = await digestIds([]);
    expect(await digestIds([])).toEqual([all]);
    const [usersOnly] = await digestIds(['--older-than', '4d']);
    expect(usersOnly).toMatch(/^rem_/);
    expect(usersOnly).not.toBe(all);
  });

  it('--older-than keeps only proposals created at least that long ago', async () => {
    const smtp = await smtpServer();
    const env = { GROWTH_URL: growthHook.url, GROWTH_SECRET: SECRET, FINANCE_SMTP: `smtp://127.0.0.1:${smtp.port}` };
    // sessions is 48h old, orders 72h, users 28 days.
    const sixty = JSON.parse((await run(['notify', '--remind', '--older-than', '60h', '--json'], env)).stdout) as { digests: Array<{ team: string; proposals: string[] }> };
    expect(sixty.digests.map((d) => `${d.team}:${d.proposals.join(',')}`).sort()).toEqual([`finance:${ids.users},${ids.orders}`, `finance:${ids.users},${ids.orders}`]);
    const four = JSON.parse((await run(['notify', '--remind', '--older-than', '4d', '--json'], env)).stdout) as { digests: Array<{ team: string; channel: string; proposals: string[] }> };
    expect(four.digests.filter((d) => d.channel === 'finance-mail').map((d) => d.proposals)).toEqual([[ids.users]]);
    expect(four.digests.some((d) => d.team === 'growth')).toBe(false);
    const month = await run(['notify', '--remind', '--older-than', '5w'], env);
    expect(month.exitCode).toBe(0);
    expect(month.stdout).toBe('No proposal is waiting for any team.');
  });

  it('a channel whose variables are unset: one-line warning, the others still sent, exit 0', async () => {
    const smtp = await smtpServer();
    const n = growthHook.received.length;
    const r = await run(['notify', '--remind'], { GROWTH_URL: growthHook.url, FINANCE_SMTP: `smtp://127.0.0.1:${smtp.port}` });
    expect(r.exitCode).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l.includes('warning'))).toEqual([
      'tessera: warning: reminder for finance not sent through finance-slack: FINANCE_SLACK is not set: channel finance-slack sends nothing until it is',
      'tessera: warning: reminder for growth not sent through growth-hook: GROWTH_SECRET is not set: channel growth-hook signs with it and sends nothing until it is',
    ]);
    expect(growthHook.received).toHaveLength(n);
    expect(smtp.got).toHaveLength(1);
    expect(r.stdout).toMatch(/^sent {4}finance: 2 proposals .* via finance-mail {2}rem_/m);
    expect(r.stdout).toMatch(/^skipped growth: 1 proposal .* via growth-hook/m);
  });

  it('a receiver that fails: exit 3, the failure on stderr', async () => {
    const down = await receiver([503]);
    try {
      const r = await run(['notify', '--remind'], { GROWTH_URL: down.url, GROWTH_SECRET: SECRET });
      expect(r.exitCode).toBe(3);
      expect(r.stderr).toContain('tessera: reminder for growth through growth-hook failed: HTTP 503');
    } finally {
      await down.close();
    }
  });

  it.each([['2 days'], ['2x'], ['1y'], ['1.5d'], ['']])('a bad --older-than %j: exit 2, one line, nothing sent', async (bad) => {
    const n = growthHook.received.length;
    const before = await refState(registry);
    const r = await run(['notify', '--remind', '--older-than', bad], { GROWTH_URL: growthHook.url, GROWTH_SECRET: SECRET });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^tessera: --older-than .* is not a duration/);
    expect(growthHook.received).toHaveLength(n);
    expect(await refState(registry)).toBe(before);
  });

  it('--older-than without --remind: exit 2', async () => {
    const r = await run(['notify', '--older-than', '2d']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('tessera: --older-than needs --remind (run: tessera notify --remind --older-than 2d)');
  });

  // Last: it leaves a broken file on main.
  it('a malformed channel file: that channel is skipped with one line naming it, the others still get their digests', async () => {
    await commitChannels({ broken: 'name: broken\ntype: pager\nteams: [growth]\n' });
    const n = growthHook.received.length;
    const r = await run(['notify', '--remind'], { GROWTH_URL: growthHook.url, GROWTH_SECRET: SECRET });
    expect(r.exitCode, r.stderr).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => /channels\/broken\.yaml/.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/that channel is skipped/);
    expect(growthHook.received.length).toBeGreaterThan(n);
  });
});
