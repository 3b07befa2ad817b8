/**
 * `key create` and `key revoke`: API keys for `tessera serve`, one file each
 * (keys/<id>.yaml) on main. A key is for one team; creating or revoking one
 * is for that team's members or a policy.ci_actors identity. The secret
 * exists only in create's result: the file keeps its hash.
 */
import type { AppContext, Outcome } from './context.js';
import { isoNow } from './context.js';
import { writeMain } from './write-main.js';
import type { DomainEvent } from '../core/events.js';
import { InputError, PolicyError } from '../core/errors.js';
import { formatCommitMessage } from '../core/commit-message.js';
import { encodeYaml } from '../core/codec.js';
import { keySchema, type KeyFile, type RegistryConfig, type Team } from '../core/model.js';
import { assertMember } from '../core/membership.js';
import { parseKeyEmail, keyStatus, type KeyScope, type KeyStatus } from '../core/keys.js';
import { checkKeyId, checkTeamName, CONFIG_PATH, keyPath, KEYS_DIR, MAIN_REF, teamPath } from '../core/paths.js';
import { readConfig, requireTeam } from '../registry/state.js';
import { newSecret, readAllKeys, readKey } from '../registry/keys.js';

export interface KeyCreateRequest {
  team: string;
  scope: KeyScope;
  expiresAt?: Date;
  name?: string;
}

/** A key as anyone may see it: never the hash. */
export type PublicKey = Omit<KeyFile, 'hash'> & { status: KeyStatus };

export interface KeyCreateResult {
  key: PublicKey;
  /** Shown once; nowhere else. */
  secret: string;
}

export function publicKey(key: KeyFile, now: Date): PublicKey {
  const { hash: _hash, ...rest } = key;
  return { ...rest, status: keyStatus(key, now) };
}

function assertKeyAdmin(config: RegistryConfig, team: Team, actor: string, action: string): void {
  // A key making or revoking keys would let one leaked secret mint others.
  const key = parseKeyEmail(actor);
  if (key) throw new PolicyError(`key ${key.keyId} cannot ${action}`, 'manage keys with the tessera CLI as a member of the team');
  if (config.policy.ci_actors.some((c) => c.toLowerCase() === actor.toLowerCase())) return;
  assertMember(config, team, actor, action);
}

const NAME = /^[^\u0000-\u001f\u007f]{1,100}$/;

export async function keyCreate(ctx: AppContext, request: KeyCreateRequest): Promise<Outcome<KeyCreateResult>> {
  const team = checkTeamName(request.team);
  const name = request.name?.trim();
  if (name !== undefined && !NAME.test(name)) throw new InputError('--name must be 1 to 100 characters without control characters', 'say what the key is for, e.g. --name "airflow prod"');
  const made = await newSecret();
  const { result, commit, retries } = await writeMain(
    ctx,
    async ({ snap, actor, now }) => {
      const config = await readConfig(snap);
      assertKeyAdmin(config, await requireTeam(snap, team), actor.email, `create a key for team '${team}'`);
      if (snap.has(keyPath(made.id))) throw new InputError(`key id ${made.id} is taken`, 'run the command again');
      const key: KeyFile = {
        id: made.id,
        team,
        scope: request.scope,
        ...(name !== undefined ? { name } : {}),
        created_at: now,
        created_by: actor.email,
        ...(request.expiresAt !== undefined ? { expires_at: isoNow(request.expiresAt) } : {}),
        hash: made.hash,
      };
      const event: DomainEvent = { type: 'key.created', actor: actor.email, at: now, team };
      return {
        files: [{ path: keyPath(made.id), content: encodeYaml(keyPath(made.id), keySchema, key) }],
        message: formatCommitMessage(`create ${request.scope} key ${made.id} for team ${team}`, { event: 'key.created', actor: actor.email, team, extra: { 'Key-Id': made.id } }),
        result: { key, event },
      };
    },
    { pathspecs: [CONFIG_PATH, teamPath(team), keyPath(made.id)] },
  );
  return {
    result: { key: publicKey(result.key, ctx.now()), secret: made.secret },
    commits: commit ? { [MAIN_REF]: commit } : {},
    events: [{ ...result.event, ...(commit ? { commit } : {}) }],
    retries,
  };
}

export interface KeyRevokeResult {
  action: 'revoked' | 'unchanged';
  key: PublicKey;
}

export async function keyRevoke(ctx: AppContext, id: string): Promise<Outcome<KeyRevokeResult>> {
  checkKeyId(id);
  const { result, commit, retries } = await writeMain<{ action: KeyRevokeResult['action']; key: KeyFile; events: DomainEvent[] }>(
    ctx,
    async ({ snap, actor, now }) => {
      const key = await readKey(snap, id);
      if (!key) throw new InputError(`unknown key ${id}`, 'see: tessera key list');
      const config = await readConfig(snap);
      assertKeyAdmin(config, await requireTeam(snap, key.team), actor.email, `revoke a key of team '${key.team}'`);
      if (key.revoked_at !== undefined) return { files: [], message: '', result: { action: 'unchanged', key, events: [] } };
      const next: KeyFile = { ...key, revoked_at: now, revoked_by: actor.email };
      return {
        files: [{ path: keyPath(id), content: encodeYaml(keyPath(id), keySchema, next) }],
        message: formatCommitMessage(`revoke key ${id} of team ${key.team}`, { event: 'key.revoked', actor: actor.email, team: key.team, extra: { 'Key-Id': id } }),
        result: { action: 'revoked', key: next, events: [{ type: 'key.revoked', actor: actor.email, at: now, team: key.team }] },
      };
    },
    { pathspecs: [CONFIG_PATH, 'teams', keyPath(id)] },
  );
  return {
    result: { action: result.action, key: publicKey(result.key, ctx.now()) },
    commits: commit ? { [MAIN_REF]: commit } : {},
    events: commit ? result.events.map((e) => ({ ...e, commit })) : result.events,
    retries,
  };
}

/** Every key, newest first, optionally of one team. */
export async function keyList(ctx: AppContext, team?: string): Promise<PublicKey[]> {
  if (team !== undefined) checkTeamName(team);
  const snap = await ctx.repo.snapshot(MAIN_REF, [KEYS_DIR]);
  const now = ctx.now();
  return (await readAllKeys(snap))
    .filter((k) => team === undefined || k.team === team)
    .sort((a, b) => b.created_at.localeCompare(a.created_at) || a.id.localeCompare(b.id))
    .map((k) => publicKey(k, now));
}
