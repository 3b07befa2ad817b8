/**
 * `tessera channel add|list|remove`: the registry keeps only the names of the
 * variables; bad input is refused with one line, exit 2, and nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { cleanupTempDirs, gitIn, machine, refState, tempDir, type Machine } from '../helpers/machines.js';
import { runJson } from '../sync/helpers.js';
import { pushByHand } from './helpers/receivers.js';

afterAll(cleanupTempDirs);

let registry: string;
let bea: Machine;
let cid: Machine;

beforeAll(async () => {
  const root = tempDir();
  registry = path.join(root, 'registry.git');
  const env = { TESSERA_REGISTRY: registry };
  bea = machine(root, 'bea', 'bea@acme.com', env);
  cid = machine(root, 'cid', 'cid@acme.com', env);
  expect((await bea.run(['init', registry])).exitCode).toBe(0);
  await runJson(bea, ['team', 'add', 'growth', '--member', 'bea@acme.com']);
  await runJson(cid, ['team', 'add', 'finance', '--member', 'cid@acme.com']);
});

describe('channel add, list, remove', () => {
  it('adds a webhook channel: the file names the variables, and the commit says channel.added', async () => {
    const out = await runJson(bea, ['channel', 'add', 'growth-hooks', '--type', 'webhook', '--team', 'growth', '--url-env', 'GROWTH_URL', '--secret-env', 'GROWTH_SECRET']);
    expect(out).toMatchObject({ action: 'channel.added', channel: { name: 'growth-hooks', type: 'webhook', teams: ['growth'], url_env: 'GROWTH_URL', secret_env: 'GROWTH_SECRET', created_by: 'bea@acme.com' } });
    const file = await gitIn(registry, ['show', 'main:channels/growth-hooks.yaml']);
    expect(file).toContain('url_env: GROWTH_URL');
    expect(await gitIn(registry, ['log', '-1', '--format=%B', 'main'])).toContain('Tessera-Event: channel.added');
  });

  it('the same add again changes nothing; a different one is refused', async () => {
    const before = await refState(registry);
    const again = await runJson(bea, ['channel', 'add', 'growth-hooks', '--type', 'webhook', '--team', 'growth', '--url-env', 'GROWTH_URL', '--secret-env', 'GROWTH_SECRET']);
    expect(again.action).toBe('unchanged');
    const other = await bea.run(['channel', 'add', 'growth-hooks', '--type', 'slack', '--team', 'growth']);
    expect(other.exitCode).toBe(2);
    expect(other.stderr).toMatch(/channel growth-hooks already exists/);
    expect(await refState(registry)).toBe(before);
  });

  it('defaults the URL variable to TESSERA_CHANNEL_<NAME>_URL; email needs --to', async () => {
    const out = await runJson(cid, ['channel', 'add', 'fin-mail', '--type', 'email', '--team', 'finance', '--to', 'fin@acme.com']);
    expect(out.channel).toMatchObject({ url_env: 'TESSERA_CHANNEL_FIN_MAIL_URL', to: ['fin@acme.com'] });
  });

  it('lists channels and whether each variable is set here', async () => {
    const r = await tesseraWith(bea, { GROWTH_URL: 'http://127.0.0.1:1/x' }, ['channel', 'list', '--json']);
    const list = JSON.parse(r.stdout);
    expect(list.channels.map((c: { name: string }) => c.name)).toEqual(['fin-mail', 'growth-hooks']);
    expect(list.channels[1]).toMatchObject({ url_env_set: true, secret_env_set: false });
    const text = await bea.run(['channel', 'list']);
    expect(text.stdout).toMatch(/^growth-hooks {2}webhook {2}teams: growth {2}GROWTH_URL \(unset here\), GROWTH_SECRET \(unset here\)/m);
  });

  it('a non-member cannot remove a channel; a member can', async () => {
    const denied = await cid.run(['channel', 'remove', 'growth-hooks']);
    expect(denied.exitCode).toBe(1);
    expect(denied.stderr).toMatch(/cid@acme.com is not a member of team 'growth'/);
    const out = await runJson(bea, ['channel', 'remove', 'growth-hooks']);
    expect(out.action).toBe('channel.removed');
    expect((await gitIn(registry, ['ls-tree', '--name-only', 'main', 'channels/'])).trim()).toBe('channels/fin-mail.yaml');
  });
});

describe('channel add refuses bad input: one line, exit 2, registry unchanged', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['an unknown team', ['channel', 'add', 'x', '--type', 'webhook', '--team', 'nobody'], /unknown team 'nobody'/],
    ['no team', ['channel', 'add', 'x', '--type', 'webhook'], /channel x serves no team/],
    ['a hostile name', ['channel', 'add', '../../etc', '--type', 'webhook', '--team', 'growth'], /channel name "..\/..\/etc" is not allowed/],
    ['a name with a control character', ['channel', 'add', 'a\u0007b', '--type', 'webhook', '--team', 'growth'], /channel name .* is not allowed/],
    ['a hostile team', ['channel', 'add', 'x', '--type', 'webhook', '--team', '.git'], /team name ".git" is not allowed/],
    ['a URL where a variable name goes', ['channel', 'add', 'x', '--type', 'webhook', '--team', 'growth', '--url-env', 'https://hooks.example.com/abc'], /--url-env takes the name of an environment variable, not its value/],
    ['a secret where a variable name goes', ['channel', 'add', 'x', '--type', 'webhook', '--team', 'growth', '--secret-env', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'], /--secret-env takes the name of an environment variable, not its value/],
    ['a bad variable name', ['channel', 'add', 'x', '--type', 'webhook', '--team', 'growth', '--url-env', '1-BAD'], /--url-env "1-BAD" is not an environment variable name/],
    ['an unknown type', ['channel', 'add', 'x', '--type', 'pager', '--team', 'growth'], /--type.*pager/],
    ['--to on a webhook', ['channel', 'add', 'x', '--type', 'webhook', '--team', 'growth', '--to', 'a@b.c'], /--to is for email channels, not webhook/],
    ['email without --to', ['channel', 'add', 'x', '--type', 'email', '--team', 'growth'], /email channel x has no address/],
    ['a bad address', ['channel', 'add', 'x', '--type', 'email', '--team', 'growth', '--to', 'not an address'], /--to "not an address" is not an email address/],
    ['a non-member', ['channel', 'add', 'x', '--type', 'webhook', '--team', 'finance'], /bea@acme.com is not a member of team 'finance'/],
    ['removing an unknown channel', ['channel', 'remove', 'nope'], /unknown channel 'nope'/],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const before = await refState(registry);
      const r = await bea.run(args);
      expect(r.exitCode, r.stderr).toBe(what === 'a non-member' ? 1 : 2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
      expect(await refState(registry)).toBe(before);
    });
  }
});

describe('channel add checks the URL where the variable is set', () => {
  const cases: Array<[string, Record<string, string>, string[], string]> = [
    ['a webhook URL that is not http(s)', { HOOK_URL: 'ftp://hooks.example.com/x' }, ['--type', 'webhook', '--url-env', 'HOOK_URL'], 'tessera: HOOK_URL is not an http(s) URL, which a webhook channel needs (set it to the https:// address the receiver gave you)'],
    ['an email URL that is not smtp(s)', { MAIL_URL: 'https://mail.example.com' }, ['--type', 'email', '--url-env', 'MAIL_URL', '--to', 'a@acme.com'], 'tessera: MAIL_URL is not an smtp(s) URL, which an email channel needs (set it to smtp://user:pass@host:port or smtps://...)'],
  ];
  for (const [what, vars, args, message] of cases) {
    it(`${what}: exit 2, one line that never echoes the URL, nothing written`, async () => {
      const before = await refState(registry);
      const r = await tesseraWith(bea, vars, ['channel', 'add', 'checked', ...args, '--team', 'growth']);
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stderr).toBe(message);
      expect(r.stderr).not.toContain(Object.values(vars)[0]);
      expect(await refState(registry)).toBe(before);
    });
  }
  it('a variable unset where channel add runs is not checked (it is checked at delivery)', async () => {
    const out = await runJson(bea, ['channel', 'add', 'unchecked', '--type', 'webhook', '--team', 'growth', '--url-env', 'ELSEWHERE_URL']);
    expect(out.action).toBe('channel.added');
    await runJson(bea, ['channel', 'remove', 'unchecked']);
  });
});

async function tesseraWith(m: Machine, extra: Record<string, string>, args: string[]) {
  const { tessera } = await import('../helpers/cli.js');
  return tessera(args, { env: { ...m.env, ...extra }, cwd: m.env.HOME! });
}

describe('a malformed channel file pushed by hand', () => {
  it('verify names it; channel list names it and still lists the others', async () => {
    await pushByHand(tempDir(), registry, 'channels/broken.yaml', 'name: broken\ntype: pager\nteams: [growth]\n');
    const v = await bea.run(['verify']);
    expect(v.exitCode).toBe(1);
    expect(v.stdout + v.stderr).toMatch(/channels\/broken\.yaml/);
    const list = await bea.run(['channel', 'list', '--json']);
    expect(list.exitCode).toBe(0);
    expect(list.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^tessera: registry file channels\/broken\.yaml is invalid at type: /)]);
    expect(JSON.parse(list.stdout).channels.map((c: { name: string }) => c.name)).toEqual(['fin-mail']);
  });
});
