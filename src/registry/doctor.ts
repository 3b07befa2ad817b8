/**
 * `tessera doctor`: what a command on this machine would meet, checked one
 * thing at a time. Reads only: it never writes to the registry and never
 * creates the default one (a URL's cache clone is fetched, as any read does).
 */
import { existsSync } from 'node:fs';
import { git } from './git.js';
import { currentIdentity, NO_IDENTITY_HINT } from './identity.js';
import { wantsSignedCommits, type Identity } from './commit-writer.js';
import { holdsRegistry } from './init.js';
import { describeLocation, describeSource, initCommand, locateRegistry, type RegistryLocation } from './locate.js';
import { probeRemote } from './probe.js';
import { Repository } from './repository.js';
import { readAllTeams, readConfig } from './state.js';
import { CONFIG_PATH, MAIN_REF } from '../core/paths.js';
import type { RegistryConfig, Team } from '../core/model.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface Check {
  name: 'registry' | 'reachable' | 'identity' | 'teams' | 'signing';
  status: CheckStatus;
  detail: string;
  /** What to run or change, for warn and fail. */
  fix?: string;
}

export interface Diagnosis {
  location: RegistryLocation | undefined;
  checks: Check[];
  ok: boolean;
}

const oneLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
const short = (oid: string) => oid.slice(0, 12);
const IDENTITY_FIX = NO_IDENTITY_HINT.replace(/^run: /, '');

interface RegistryRead {
  reachable: Check;
  /** The registry's settings and teams, when it could be read. */
  state?: { config: RegistryConfig; teams: Team[] };
  shared: boolean;
}

async function readState(repo: Repository): Promise<RegistryRead['state']> {
  const snap = await repo.snapshot(MAIN_REF, [CONFIG_PATH, 'teams']);
  return { config: await readConfig(snap), teams: await readAllTeams(snap) };
}

async function assetCount(gitDir: string): Promise<number | undefined> {
  const r = await git(['ls-tree', '--name-only', MAIN_REF, 'assets/'], { cwd: gitDir, allowFailure: true });
  return r.code === 0 ? r.stdout.split('\n').filter(Boolean).length : undefined;
}

async function checkUrl(location: Extract<RegistryLocation, { kind: 'url' }>): Promise<RegistryRead> {
  const probe = await probeRemote(location.url);
  if (!probe.reachable) {
    return { shared: true, reachable: { name: 'reachable', status: 'fail', detail: `cannot reach ${location.url}: ${probe.error}`, fix: 'check the URL, your network and your access (git ls-remote <url> must work)' } };
  }
  if (!probe.main) {
    return { shared: true, reachable: { name: 'reachable', status: 'fail', detail: `${location.url} answers but holds no registry yet`, fix: initCommand(location) } };
  }
  let repo: Repository | undefined;
  try {
    repo = await Repository.open(location);
    const state = await readState(repo);
    const assets = await assetCount(repo.gitDir);
    return { shared: true, state, reachable: { name: 'reachable', status: 'ok', detail: `reachable; main at ${short(probe.main)}${assets === undefined ? '' : `, ${assets} asset${assets === 1 ? '' : 's'}`}` } };
  } catch (e) {
    return { shared: true, reachable: { name: 'reachable', status: 'fail', detail: `${location.url} answers, but its registry cannot be read: ${oneLine(e)}`, fix: initCommand(location) } };
  } finally {
    repo?.close();
  }
}

async function checkPath(location: Extract<RegistryLocation, { kind: 'path' }>): Promise<RegistryRead> {
  if (!existsSync(location.path)) {
    const reachable: Check = location.isDefault
      ? { name: 'reachable', status: 'warn', detail: `no registry at ${location.path} yet (the first command that writes creates it)`, fix: initCommand(location) }
      : { name: 'reachable', status: 'fail', detail: `no registry at ${location.path}`, fix: initCommand(location) };
    return { shared: false, reachable };
  }
  let repo: Repository | undefined;
  try {
    repo = await Repository.openGitDir(location.path, location);
    if (!(await holdsRegistry(repo.gitDir))) {
      return { shared: false, reachable: { name: 'reachable', status: 'fail', detail: `${location.path} is a git repository but not a Tessera registry (no ${CONFIG_PATH} on main)`, fix: 'select the registry you meant, or create one in an empty directory with tessera init DIR' } };
    }
    // A clone made by `tessera init DIR --remote URL` reads and writes through its remote.
    let via = '';
    if (repo.remote) {
      const probe = await probeRemote(repo.remote);
      if (!probe.reachable) {
        return { shared: true, reachable: { name: 'reachable', status: 'fail', detail: `${location.path} is a clone of ${repo.remote}, which cannot be reached: ${probe.error}`, fix: 'check the URL, your network and your access' } };
      }
      via = `, a clone of ${repo.remote} (reachable)`;
    }
    const state = await readState(repo);
    const head = await repo.head();
    const assets = await assetCount(repo.gitDir);
    return {
      shared: repo.remote !== undefined,
      state,
      reachable: { name: 'reachable', status: 'ok', detail: `a registry${via}; main at ${short(head ?? '')}${assets === undefined ? '' : `, ${assets} asset${assets === 1 ? '' : 's'}`}` },
    };
  } catch (e) {
    return { shared: false, reachable: { name: 'reachable', status: 'fail', detail: `${location.path} cannot be read as a registry: ${oneLine(e)}`, fix: 'select the registry you meant (--registry, TESSERA_REGISTRY, .tessera.yaml)' } };
  } finally {
    repo?.close();
  }
}

async function checkIdentity(cwd: string, shared: boolean): Promise<{ check: Check; identity?: Identity }> {
  try {
    const id = await currentIdentity(cwd, { guess: false });
    return { identity: id, check: { name: 'identity', status: 'ok', detail: `${id.name} <${id.email}>` } };
  } catch {
    if (shared) return { check: { name: 'identity', status: 'fail', detail: 'no git identity: a shared registry records who acted, so commands that write refuse', fix: IDENTITY_FIX } };
    const guessed = await currentIdentity(cwd, { guess: true }).catch(() => undefined);
    return {
      ...(guessed ? { identity: guessed } : {}),
      check: { name: 'identity', status: 'warn', detail: `no git identity; this local registry records you as ${guessed?.email ?? 'nobody'} (guessed)`, fix: IDENTITY_FIX },
    };
  }
}

function checkTeams(state: RegistryRead['state'], identity: Identity | undefined): Check {
  if (!state) return { name: 'teams', status: 'warn', detail: 'not checked: the registry could not be read' };
  if (!identity) return { name: 'teams', status: 'warn', detail: 'not checked: no git identity' };
  const email = identity.email.toLowerCase();
  const mine = state.teams.filter((t) => t.members.some((m) => m.toLowerCase() === email)).map((t) => t.name);
  if (mine.length > 0) return { name: 'teams', status: 'ok', detail: `member of ${mine.join(', ')}` };
  const status: CheckStatus = state.config.policy.membership_checks ? 'fail' : 'warn';
  const why = state.config.policy.membership_checks ? ', so you cannot publish, consume or ack for any team' : ' (membership checks are off in this registry)';
  const detail = state.teams.length === 0 ? `the registry has no teams yet${why}` : `${email} is a member of none of the registry's ${state.teams.length} team${state.teams.length === 1 ? '' : 's'}${why}`;
  const fix = state.teams.length === 0 ? `tessera team add <team> --member ${email}` : `have a member add you: tessera team add <team> --member ${email} (teams: tessera team list)`;
  return { name: 'teams', status, detail, fix };
}

async function gitConfig(cwd: string, key: string): Promise<string | undefined> {
  const r = await git(['config', '--get', key], { cwd, allowFailure: true });
  return r.code === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
}

async function checkSigning(cwd: string, state: RegistryRead['state']): Promise<Check> {
  if (!state) return { name: 'signing', status: 'warn', detail: 'not checked: the registry could not be read' };
  const [sign, key, format] = await Promise.all([wantsSignedCommits(cwd), gitConfig(cwd, 'user.signingkey'), gitConfig(cwd, 'gpg.format')]);
  const how = `gpg.format ${format ?? 'openpgp'}${key ? ', user.signingkey set' : ''}`;
  if (!state.config.policy.require_signed_commits) {
    return { name: 'signing', status: 'ok', detail: `not required by the registry${sign ? `; your commits are signed anyway (${how})` : ''}` };
  }
  // openpgp can pick a key by the committer's email; ssh and x509 need user.signingkey.
  const keyKnown = key !== undefined || (format ?? 'openpgp') === 'openpgp';
  if (sign && keyKnown) return { name: 'signing', status: 'ok', detail: `required and configured (${how})` };
  if (!keyKnown || !key) {
    return {
      name: 'signing',
      status: 'fail',
      detail: 'required by the registry but no signing key is configured',
      fix: 'git config --global gpg.format ssh && git config --global user.signingkey ~/.ssh/id_ed25519.pub && git config --global commit.gpgsign true',
    };
  }
  return { name: 'signing', status: 'fail', detail: `required by the registry; a key is set (${how}) but commit.gpgsign is off, so commits are not signed`, fix: 'git config --global commit.gpgsign true' };
}

export async function diagnose(flag: string | undefined, cwd = process.cwd()): Promise<Diagnosis> {
  let location: RegistryLocation | undefined;
  let first: Check;
  try {
    location = locateRegistry(flag, cwd);
    first = { name: 'registry', status: 'ok', detail: `${describeLocation(location)} (${describeSource(location)})` };
  } catch (e) {
    first = { name: 'registry', status: 'fail', detail: oneLine(e), fix: 'fix the file or pass --registry' };
  }
  const read: RegistryRead = location
    ? location.kind === 'url'
      ? await checkUrl(location)
      : await checkPath(location)
    : { shared: false, reachable: { name: 'reachable', status: 'warn', detail: 'not checked: no registry selected' } };
  const { check: identity, identity: who } = await checkIdentity(cwd, read.shared);
  const checks = [first, read.reachable, identity, checkTeams(read.state, who), await checkSigning(cwd, read.state)];
  return { location, checks, ok: checks.every((c) => c.status !== 'fail') };
}
