/**
 * A registry for the team-wide UI of `tessera serve`, built with the real
 * binary: a producer team (core) with three assets, two consumer teams, two
 * open proposals (one to withdraw, one to force), and an API key per team
 * (plus a read-only key of core). The server is the real `tessera serve`.
 */
import path from 'node:path';
import { machine, tempDir, writeJson, USERS_V1, USERS_V2_NO_EMAIL, type Machine } from '../helpers/machines.js';
import { must, startServe, type Served } from '../serve/harness.js';
import { request, type RawResponse } from './http.js';

export const PAYMENTS_V1 = { type: 'object', properties: { payment_id: { type: 'integer' }, amount: { type: 'number' } }, required: ['payment_id'] };
/** Compatible: an optional column more. */
export const PAYMENTS_V2 = { type: 'object', properties: { payment_id: { type: 'integer' }, amount: { type: 'number' }, currency: { type: 'string' } }, required: ['payment_id'] };
/** Breaking: `amount` removed. */
export const PAYMENTS_V3 = { type: 'object', properties: { payment_id: { type: 'integer' }, currency: { type: 'string' } }, required: ['payment_id'] };

export interface TeamScenario {
  root: string;
  registry: string;
  producer: Machine;
  /** users' breaking change, waiting for team-b and team-c. */
  usersProposal: string;
  /** web.events' breaking change, waiting for team-c. */
  eventsProposal: string;
  keys: { core: string; coreRead: string; teamB: string; teamC: string };
  /** The breaking web.events contract, as a file (for the CLI's refusal of --force without --reason). */
  eventsV2File: string;
}

export async function buildTeamScenario(): Promise<TeamScenario> {
  const root = tempDir('tessera-team-ui-');
  const registry = path.join(root, 'registry');
  const env = { TESSERA_REGISTRY: registry };
  const producer = machine(root, 'pat', 'pat@acme.com', env);
  const bea = machine(root, 'bea', 'bea@acme.com', env);
  const cid = machine(root, 'cid', 'cid@acme.com', env);
  must(await producer.run(['init', registry]), 'init');
  must(await producer.run(['team', 'add', 'core', '--member', 'pat@acme.com']), 'team core');
  must(await producer.run(['team', 'add', 'team-b', '--member', 'bea@acme.com']), 'team b');
  must(await producer.run(['team', 'add', 'team-c', '--member', 'cid@acme.com']), 'team c');

  must(await producer.run(['publish', 'users', writeJson(root, 'users.json', { schema: USERS_V1, compatibility_mode: 'backward' }), '--owner', 'core', '--description', 'Everyone who signed up.']), 'publish users');
  must(await bea.run(['consume', 'users', '--team', 'team-b']), 'consume users b');
  must(await cid.run(['consume', 'users', '--team', 'team-c']), 'consume users c');
  const events = { type: 'object', properties: { event_id: { type: 'string' }, at: { type: 'string', format: 'date-time' } }, required: ['event_id'] };
  must(await producer.run(['publish', 'web.events', writeJson(root, 'events.json', events), '--owner', 'core', '--kind', 'topic']), 'publish events');
  must(await cid.run(['consume', 'web.events', '--team', 'team-c']), 'consume events c');
  must(await producer.run(['publish', 'payments', writeJson(root, 'payments.json', PAYMENTS_V1), '--owner', 'core', '--description', 'One row per payment.']), 'publish payments');

  const proposalOf = (out: string) => {
    const r = JSON.parse(out) as { action: string; proposal: { id: string } };
    if (r.action !== 'proposal.created') throw new Error(`expected a proposal, got ${r.action}`);
    return r.proposal.id;
  };
  const usersProposal = proposalOf(must(await producer.run(['publish', 'users', writeJson(root, 'users-v2.json', USERS_V2_NO_EMAIL), '--json']), 'propose users'));
  const eventsV2File = writeJson(root, 'events-v2.json', { type: 'object', properties: { event_id: { type: 'string' } }, required: ['event_id'] });
  const eventsProposal = proposalOf(must(await producer.run(['publish', 'web.events', eventsV2File, '--json']), 'propose events'));

  const key = async (m: Machine, args: string[]) => must(await m.run(['key', 'create', ...args]), `key ${args.join(' ')}`).trim();
  const keys = {
    core: await key(producer, ['--team', 'core', '--name', 'pat-laptop']),
    coreRead: await key(producer, ['--team', 'core', '--scope', 'read']),
    teamB: await key(bea, ['--team', 'team-b']),
    teamC: await key(cid, ['--team', 'team-c', '--name', 'cid-browser']),
  };
  return { root, registry, producer, usersProposal, eventsProposal, keys, eventsV2File };
}

export async function startTeamServe(s: TeamScenario, env: Record<string, string> = {}): Promise<Served> {
  return startServe({ ...s.producer.env, ...env });
}

/** The cookie pair (`name=value`) a response sets, or undefined. */
export function setCookie(r: RawResponse, name: string): string | undefined {
  const all = ([] as string[]).concat(r.headers['set-cookie'] ?? []);
  return all.find((c) => c.startsWith(`${name}=`));
}

/** The secret part of a key `tsk_<12-char id>_<secret>` (the secret may itself contain `_`). */
export function secretOf(key: string): string {
  const m = /^tsk_[a-z0-9]{12}_(.{43})$/.exec(key);
  if (!m) throw new Error(`not a key: ${key.slice(0, 8)}…`);
  return m[1]!;
}

export const pair = (setCookieValue: string) => setCookieValue.split(';')[0]!;

/** A form's hidden token in a page. */
export function tokenIn(body: string): string {
  const m = /name="token" value="([^"]+)"/.exec(body);
  if (!m) throw new Error(`no form token in the page: ${body.slice(0, 300)}`);
  return m[1]!;
}

/** Sign in over plain HTTP as a browser would: the sign-in form's cookie and token, then the key. */
export async function signIn(base: string, key: string, headers: Record<string, string> = {}): Promise<{ reply: RawResponse; cookie?: string; csrf?: string }> {
  const form = await request(base, '/signin', { headers });
  const signinCookie = pair(setCookie(form, 'tessera_signin')!);
  const reply = await request(base, '/signin', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: signinCookie, ...headers },
    body: new URLSearchParams({ token: tokenIn(form.body), key }).toString(),
  });
  const set = setCookie(reply, 'tessera_session');
  if (!set || reply.status !== 303) return { reply };
  const cookie = pair(set);
  const page = await request(base, '/', { headers: { Cookie: cookie } });
  return { reply, cookie, csrf: tokenIn(page.body) };
}
