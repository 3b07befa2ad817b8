/**
 * The seed story told through the real binary and the real transports
 * (issue 14, "What it must show" 1): `tessera notify` signs each webhook with
 * the channel's secret, and every delivery verifies with the reference
 * `standardwebhooks` package; finance's Slack channel gets a Block Kit
 * message; a second run sends nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { cleanupTempDirs, tempDir, writeJson, USERS_V2_NO_EMAIL, type Machine } from '../helpers/machines.js';
import { runJson } from '../sync/helpers.js';
import { usersRegistry } from './helpers/receivers.js';
import { tessera } from '../helpers/cli.js';
import { receiver, type Receiver } from './receiver.js';

const secret = (n: number) => `whsec_${Buffer.alloc(32, n).toString('base64')}`;
const SECRETS = { core: secret(1), growth: secret(2), finance: secret(3) };

let root: string;
let pat: Machine;
let bea: Machine;
let cid: Machine;
let hooks: Record<'core' | 'growth' | 'finance', Receiver>;
let slack: Receiver;
let env: Record<string, string>;

afterAll(async () => {
  await Promise.all([...Object.values(hooks ?? {}), slack].map((r) => r?.close()));
  cleanupTempDirs();
});

beforeAll(async () => {
  root = tempDir();
  ({ pat, bea, cid } = await usersRegistry(root));
  hooks = { core: await receiver(), growth: await receiver(), finance: await receiver() };
  slack = await receiver();
  env = {
    CORE_URL: hooks.core.url, CORE_SECRET: SECRETS.core,
    GROWTH_URL: hooks.growth.url, GROWTH_SECRET: SECRETS.growth,
    FINANCE_URL: hooks.finance.url, FINANCE_SECRET: SECRETS.finance,
    FINANCE_SLACK_URL: slack.url,
  };
  await runJson(pat, ['channel', 'add', 'core-hooks', '--type', 'webhook', '--team', 'core', '--url-env', 'CORE_URL', '--secret-env', 'CORE_SECRET']);
  await runJson(bea, ['channel', 'add', 'growth-hooks', '--type', 'webhook', '--team', 'growth', '--url-env', 'GROWTH_URL', '--secret-env', 'GROWTH_SECRET']);
  await runJson(cid, ['channel', 'add', 'finance-hooks', '--type', 'webhook', '--team', 'finance', '--url-env', 'FINANCE_URL', '--secret-env', 'FINANCE_SECRET']);
  await runJson(cid, ['channel', 'add', 'finance-slack', '--type', 'slack', '--team', 'finance', '--url-env', 'FINANCE_SLACK_URL']);
});

async function notify(m: Machine): Promise<void> {
  const r = await tessera(['notify', '--json'], { env: { ...m.env, ...env } });
  expect(r.exitCode, r.stderr).toBe(0);
}

/** The event types a team's webhook receiver got, each delivery's signature checked with the team's secret. */
function verifiedTypes(team: keyof typeof hooks): string[] {
  const wh = new Webhook(SECRETS[team]);
  return hooks[team].received.map((req) => (wh.verify(req.body, req.headers) as { type: string }).type);
}

describe('the seed story through tessera notify and the real transports', () => {
  it('removing email: each team and the owner get exactly one signed proposal.created; Slack gets blocks naming the ack', async () => {
    const id = (await runJson(pat, ['publish', 'users', writeJson(root, 'v2.json', USERS_V2_NO_EMAIL)])).proposal.id as string;
    await notify(pat);
    for (const team of ['core', 'growth', 'finance'] as const) expect(verifiedTypes(team)).toEqual(['proposal.created']);
    const ids = new Set(Object.values(hooks).map((r) => r.received[0]!.headers['webhook-id']));
    expect(ids.size).toBe(1);
    expect(slack.received).toHaveLength(1);
    const message = JSON.parse(slack.received[0]!.body) as { text: string; blocks: unknown[] };
    expect(message.blocks.length).toBeGreaterThan(0);
    expect(JSON.stringify(message)).toContain(`tessera ack ${id} --team finance`);
    // A signature made with another team's secret does not verify: the check can fail.
    expect(() => new Webhook(SECRETS.core).verify(hooks.growth.received[0]!.body, hooks.growth.received[0]!.headers)).toThrow();
  });

  it('growth acks: the owner hears proposal.acked; finance acks: every channel hears proposal.merged; a second run sends nothing', async () => {
    await runJson(bea, ['ack', 'users', '--team', 'growth']);
    await notify(pat);
    expect(verifiedTypes('core')).toEqual(['proposal.created', 'proposal.acked']);
    await runJson(cid, ['ack', 'users', '--team', 'finance']);
    await notify(cid);
    for (const team of ['growth', 'finance'] as const) expect(verifiedTypes(team).at(-1)).toBe('proposal.merged');
    expect(verifiedTypes('core').filter((t) => t === 'proposal.merged')).toHaveLength(1);
    // show <proposal> says who was told, through which channel, and when.
    const shown = await tessera(['show', (await runJson(pat, ['proposals', '--status', 'merged'])).proposals[0].id, '--json'], { env: pat.env });
    const notified = JSON.parse(shown.stdout).notifications as Array<{ channel: string; type: string; state: string }>;
    expect(notified.filter((n) => n.type === 'proposal.created').map((n) => n.channel).sort()).toEqual(['core-hooks', 'finance-hooks', 'finance-slack', 'growth-hooks']);
    expect(notified.every((n) => n.state === 'delivered')).toBe(true);
    const text = await tessera(['show', (await runJson(pat, ['proposals', '--status', 'merged'])).proposals[0].id], { env: pat.env });
    expect(text.stdout).toMatch(/^Notified\n(  \S+\s+proposal\.\S+\s+delivered \S+\n?)+/m);
    const counts = [...Object.values(hooks), slack].map((r) => r.received.length);
    await notify(bea);
    expect([...Object.values(hooks), slack].map((r) => r.received.length)).toEqual(counts);
  });
});
