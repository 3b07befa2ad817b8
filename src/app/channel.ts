/**
 * `channel add` / `channel remove`: where a team's notifications go. The file
 * names environment variables, never their values, so whoever runs `tessera
 * notify` with the variables set decides the destination (docs/notifications.md).
 */
import type { AppContext, Outcome } from './context.js';
import { writeMain } from './write-main.js';
import type { DomainEvent } from '../core/events.js';
import { channelSchema, ENV_NAME_PATTERN, type ChannelFile } from '../core/model.js';
import { channelPath, checkChannelName, checkTeamName, CONFIG_PATH, MAIN_REF, teamPath } from '../core/paths.js';
import { formatCommitMessage } from '../core/commit-message.js';
import { encodeYaml } from '../core/codec.js';
import { InputError } from '../core/errors.js';
import { assertMember } from '../core/membership.js';
import type { ChannelType } from '../core/notify/types.js';
import { readConfig, requireTeam } from '../registry/state.js';
import { readChannel } from '../registry/channels.js';

export interface ChannelAddRequest {
  name: string;
  type: ChannelType;
  teams: string[];
  urlEnv?: string;
  secretEnv?: string;
  to?: string[];
}

/** The variable a channel's URL is read from when `--url-env` is not given: TESSERA_CHANNEL_<NAME>_URL. */
export function defaultUrlEnv(name: string): string {
  return `TESSERA_CHANNEL_${name.toUpperCase().replace(/-/g, '_')}_URL`;
}

function checkEnvName(flag: string, value: string): string {
  if (!ENV_NAME_PATTERN.test(value) || value.startsWith('whsec_')) {
    // The likeliest mistake is pasting the URL or the secret itself: say so, without echoing it.
    const looksLikeValue = /[:/@]/.test(value) || value.startsWith('whsec_');
    throw new InputError(
      looksLikeValue ? `${flag} takes the name of an environment variable, not its value` : `${flag} ${JSON.stringify(value.slice(0, 40))} is not an environment variable name`,
      `pass a name like ${flag === '--secret-env' ? 'GROWTH_WEBHOOK_SECRET' : 'GROWTH_WEBHOOK_URL'} and set that variable where tessera notify runs`,
    );
  }
  return value;
}

function checkAddress(a: string): string {
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(a) || a.length > 320) throw new InputError(`--to ${JSON.stringify(a.slice(0, 60))} is not an email address`, 'pass an address like data-alerts@acme.com');
  return a;
}

const URL_SCHEMES: Record<ChannelType, { pattern: RegExp; name: string }> = {
  webhook: { pattern: /^https?:\/\/[^\s]+$/i, name: 'an http(s)' },
  slack: { pattern: /^https?:\/\/[^\s]+$/i, name: 'an http(s)' },
  email: { pattern: /^smtps?:\/\/[^\s]+$/i, name: 'an smtp(s)' },
};

/** Why a URL cannot serve a channel of this type, or undefined when it can. Never echoes the URL: it may hold a password. */
export function urlProblem(type: ChannelType, urlEnv: string, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return `${urlEnv} is not set here`;
  return URL_SCHEMES[type].pattern.test(value) ? undefined : `${urlEnv} is not ${URL_SCHEMES[type].name} URL`;
}

/**
 * Check a request before anything is read. Only the variable's name is
 * stored, so its value can be checked only where it is set: when `env`
 * (the adder's environment) holds it, a URL of the wrong kind is refused here
 * too, not just at delivery.
 */
export function checkChannelRequest(req: ChannelAddRequest, env: NodeJS.ProcessEnv = {}): ChannelAddRequest {
  const name = checkChannelName(req.name);
  const teams = [...new Set(req.teams.map(checkTeamName))];
  if (teams.length === 0) throw new InputError(`channel ${name} serves no team`, 'name at least one with --team <team>');
  const to = req.to?.map(checkAddress);
  if (req.type === 'email' && (to?.length ?? 0) === 0) throw new InputError(`email channel ${name} has no address`, 'add --to <address> (repeatable)');
  if (req.type !== 'email' && to !== undefined && to.length > 0) throw new InputError(`--to is for email channels, not ${req.type}`, 'drop --to, or use --type email');
  const urlEnv = checkEnvName('--url-env', req.urlEnv ?? defaultUrlEnv(name));
  const value = env[urlEnv];
  const problem = value !== undefined && value !== '' ? urlProblem(req.type, urlEnv, value) : undefined;
  if (problem) throw new InputError(`${problem}, which ${req.type === 'email' ? 'an email' : `a ${req.type}`} channel needs`, req.type === 'email' ? 'set it to smtp://user:pass@host:port or smtps://...' : 'set it to the https:// address the receiver gave you');
  return {
    name,
    type: req.type,
    teams,
    urlEnv,
    ...(req.secretEnv !== undefined ? { secretEnv: checkEnvName('--secret-env', req.secretEnv) } : {}),
    ...(to && to.length > 0 ? { to } : {}),
  };
}

export interface ChannelAddResult {
  action: 'added' | 'unchanged';
  channel: ChannelFile;
}

export async function channelAdd(ctx: AppContext, request: ChannelAddRequest): Promise<Outcome<ChannelAddResult>> {
  const req = checkChannelRequest(request);
  const { result, commit, retries } = await writeMain<ChannelAddResult>(
    ctx,
    async ({ snap, actor, now }) => {
      const config = await readConfig(snap);
      for (const t of req.teams) assertMember(config, await requireTeam(snap, t), actor.email, `add a channel for team '${t}'`);
      const existing = await readChannel(snap, req.name);
      const wanted = { name: req.name, type: req.type, teams: req.teams, url_env: req.urlEnv!, ...(req.secretEnv ? { secret_env: req.secretEnv } : {}), ...(req.to ? { to: req.to } : {}) };
      if (existing) {
        const key = (c: Omit<ChannelFile, 'created_at' | 'created_by'>) => JSON.stringify([c.type, c.teams, c.url_env, c.secret_env, c.to]);
        if (key(existing) === key(wanted)) return { files: [], message: '', result: { action: 'unchanged' as const, channel: existing } };
        throw new InputError(`channel ${req.name} already exists (${existing.type} for ${existing.teams.join(', ')})`, `remove it first: tessera channel remove ${req.name}`);
      }
      const channel: ChannelFile = { ...wanted, created_at: now, created_by: actor.email };
      const files = [{ path: channelPath(req.name), content: encodeYaml(channelPath(req.name), channelSchema, channel) }];
      const message = formatCommitMessage(`add ${req.type} channel ${req.name} for ${req.teams.join(', ')}`, { event: 'channel.added', actor: actor.email, extra: { Channel: req.name } });
      return { files, message, result: { action: 'added' as const, channel } };
    },
    { pathspecs: [CONFIG_PATH, channelPath(req.name), ...req.teams.map(teamPath)] },
  );
  const events: DomainEvent[] = commit ? [{ type: 'channel.added', actor: result.channel.created_by, at: result.channel.created_at, channel: req.name, commit }] : [];
  return { result, commits: commit ? { [MAIN_REF]: commit } : {}, events, retries };
}

export interface ChannelRemoveResult {
  channel: ChannelFile;
}

export async function channelRemove(ctx: AppContext, request: { name: string }): Promise<Outcome<ChannelRemoveResult>> {
  const name = checkChannelName(request.name);
  const { result, commit, retries } = await writeMain(
    ctx,
    async ({ snap, actor, now }) => {
      const config = await readConfig(snap);
      const existing = await readChannel(snap, name);
      if (!existing) throw new InputError(`unknown channel '${name}'`, 'see `tessera channel list`');
      // Any one of the served teams may remove it: a channel is theirs, and a team that left must not be stuck with it.
      const teams = await Promise.all(existing.teams.map((t) => requireTeam(snap, t).catch(() => undefined)));
      const errors: unknown[] = [];
      const allowed = teams.some((t) => {
        if (!t) return false;
        try {
          assertMember(config, t, actor.email, `remove channel ${name}`);
          return true;
        } catch (e) {
          errors.push(e);
          return false;
        }
      });
      if (!allowed && errors.length > 0) throw errors[0];
      const message = formatCommitMessage(`remove channel ${name}`, { event: 'channel.removed', actor: actor.email, extra: { Channel: name } });
      return { files: [{ path: channelPath(name), content: null }], message, result: { channel: existing, actor: actor.email, now } };
    },
    { pathspecs: [CONFIG_PATH, channelPath(name), 'teams'] },
  );
  const events: DomainEvent[] = commit ? [{ type: 'channel.removed', actor: result.actor, at: result.now, channel: name, commit }] : [];
  return { result: { channel: result.channel }, commits: commit ? { [MAIN_REF]: commit } : {}, events, retries };
}
