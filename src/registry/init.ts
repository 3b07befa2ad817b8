/**
 * Creating a registry: a bare repository whose first commit holds
 * tessera.yaml (format 1). For a URL: the remote itself, through the same
 * bare cache clone every other command uses, so the next command needs no
 * clone. The first commit reaches a remote by a push whose lease says "main
 * must not exist": of two racing inits exactly one wins.
 */
import { existsSync, mkdirSync, readdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { git } from './git.js';
import { writeCommit, type Identity } from './commit-writer.js';
import { cloneInto } from './repository.js';
import { fetchAll, push } from './remote.js';
import { describeSource, shellQuote, type RegistryLocation } from './locate.js';
import { pointRemoteHeadAtMain, type RemoteHead } from './probe.js';
import { InputError } from '../core/errors.js';
import { CONFIG_PATH, MAIN_BRANCH, MAIN_REF } from '../core/paths.js';
import { registryConfigSchema, REGISTRY_FORMAT } from '../core/model.js';
import { formatCommitMessage } from '../core/commit-message.js';

const README = `# Tessera registry

This repository is a Tessera registry: data contracts, consumer registrations
and acknowledgments as YAML files. Change it with the \`tessera\` CLI; every
commit carries \`Tessera-*\` trailers, so \`git log\` is the audit trail.
See docs/registry-format.md in the Tessera project for the layout.
`;

export function initialConfigYaml(): string {
  const config = registryConfigSchema.parse({ format: REGISTRY_FORMAT });
  return `# Tessera registry settings (format ${REGISTRY_FORMAT}). See docs/registry-format.md.\n` + stringify(config, { lineWidth: 0 });
}

function assertEmptyDir(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new InputError(`${dir} already exists and is not empty`, 'choose another directory, or use it with --registry if it is a registry');
  }
}

async function firstCommit(gitDir: string, author: Identity, when: number): Promise<{ commit: string; scratchRef: string }> {
  return writeCommit(gitDir, {
    parent: undefined,
    changes: [
      { path: CONFIG_PATH, content: initialConfigYaml() },
      { path: 'README.md', content: README },
    ],
    message: formatCommitMessage('initialise the registry', { event: 'registry.initialised', actor: author.email }),
    author,
    when,
  });
}

async function publishFirstCommitLocally(gitDir: string, commit: string, scratchRef: string): Promise<void> {
  await git(['update-ref', '--stdin'], { cwd: gitDir, input: `start\ncreate ${MAIN_REF} ${commit}\ndelete ${scratchRef}\nprepare\ncommit\n` });
}

/** A new bare registry in `dir`; returns its first commit. */
export async function initLocal(dir: string, author: Identity, when: number): Promise<string> {
  assertEmptyDir(dir);
  mkdirSync(dir, { recursive: true });
  await git(['init', '--bare', '--quiet', `--initial-branch=${MAIN_BRANCH}`], { cwd: dir });
  const { commit, scratchRef } = await firstCommit(dir, author, when);
  await publishFirstCommitLocally(dir, commit, scratchRef);
  return commit;
}

/** When and by whom a registry was initialised (its root commit), for "already exists" messages. */
export async function registryOrigin(gitDir: string): Promise<{ at: string; by: string } | undefined> {
  const r = await git(['log', '--max-parents=0', '-1', '--format=%aI%x09%ae', MAIN_REF, '--'], { cwd: gitDir, allowFailure: true });
  const [at, by] = r.stdout.trim().split('\t');
  return r.code === 0 && at && by ? { at, by } : undefined;
}

/** A git dir whose main branch holds tessera.yaml. */
export async function holdsRegistry(gitDir: string): Promise<boolean> {
  const r = await git(['cat-file', '-e', `${MAIN_REF}:${CONFIG_PATH}`], { cwd: gitDir, allowFailure: true });
  return r.code === 0;
}

async function branchNames(gitDir: string): Promise<string[]> {
  const r = await git(['for-each-ref', '--format=%(refname:short)', 'refs/heads', 'refs/tags'], { cwd: gitDir, allowFailure: true });
  return r.stdout.split('\n').filter((l) => l && !l.startsWith('tessera/scratch/'));
}

function isBareRepository(dir: string): boolean {
  return existsSync(path.join(dir, 'HEAD')) && existsSync(path.join(dir, 'objects')) && existsSync(path.join(dir, 'refs'));
}

/** "(initialised 2026-01-31T12:00:00Z by ana@acme.com)", or "" when the history does not say. */
async function originNote(gitDir: string): Promise<string> {
  const o = await registryOrigin(gitDir);
  return o ? ` (initialised ${o.at} by ${o.by})` : '';
}

/** How to use a registry that already exists, given how it was selected. */
function useItHint(location: RegistryLocation): string {
  const where = location.kind === 'url' ? location.url : location.path;
  if (location.source === 'argument') return `nothing to do: use it with --registry ${shellQuote(where)}, or choose another directory`;
  if (location.source.startsWith('--')) return `nothing to do: use it with --registry ${shellQuote(where)}; to create another registry, choose another ${location.kind === 'url' ? 'URL' : 'path'}`;
  return `nothing to do: commands already use it, selected by ${describeSource(location)}; to create another registry, pass --registry with another ${location.kind === 'url' ? 'URL' : 'path'}`;
}

function notARegistry(where: string, branches: string[]): InputError {
  const shown = branches.slice(0, 3).join(', ') + (branches.length > 3 ? ', ...' : '');
  return new InputError(`${where} is not empty and holds no Tessera registry (branches: ${shown})`, 'initialise an empty repository instead, or select the registry you meant');
}

export interface InitOutcome {
  /** created: a new local registry; initialised-remote: the first commit pushed to an empty remote; cloned: a clone of an existing shared registry; exists: nothing to do (only with allowExisting). */
  action: 'created' | 'initialised-remote' | 'cloned' | 'exists';
  /** The git dir commands read: the registry itself, or the clone of the remote. */
  gitDir: string;
  /** The initial commit, when this run made it. */
  commit: string | undefined;
  /** For a remote this run initialised: where its HEAD points now. */
  remoteHead: RemoteHead | undefined;
}

interface InitOptions {
  /** Who makes the first commit; asked only when one is made. */
  author: () => Promise<Identity>;
  when: number;
  /** An existing registry is not an error (init --write-config). */
  allowExisting?: boolean;
}

/**
 * Initialise the registry a location names: a path becomes a bare registry
 * (an empty directory, a missing one, or an empty bare repository made by
 * `git init --bare`); a URL's remote gets the first commit, through the cache
 * clone. An existing registry is refused with how to use it instead.
 */
export async function initSelected(location: RegistryLocation, options: InitOptions): Promise<InitOutcome> {
  return location.kind === 'path' ? initPath(location, options) : initUrl(location, options);
}

async function initPath(location: Extract<RegistryLocation, { kind: 'path' }>, options: InitOptions): Promise<InitOutcome> {
  const dir = location.path;
  const empty = { gitDir: dir, commit: undefined, remoteHead: undefined };
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new InputError(`${dir} exists and is not a directory`, 'choose another path');
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    const gitDir = isBareRepository(dir) ? dir : existsSync(path.join(dir, '.git', 'HEAD')) ? path.join(dir, '.git') : undefined;
    if (gitDir && (await holdsRegistry(gitDir))) {
      if (options.allowExisting) return { action: 'exists', ...empty, gitDir };
      throw new InputError(`a registry already exists at ${dir}${await originNote(gitDir)}`, useItHint(location));
    }
    if (gitDir !== dir) assertEmptyDir(dir);
    const branches = await branchNames(dir);
    if (branches.length > 0) throw notARegistry(dir, branches);
    // An empty bare repository (git init --bare): initialise it in place, with HEAD on main so clones check it out.
    const author = await options.author();
    const { commit, scratchRef } = await firstCommit(dir, author, options.when);
    await publishFirstCommitLocally(dir, commit, scratchRef);
    return { action: 'created', gitDir: dir, commit, remoteHead: await pointRemoteHeadAtMain(dir) };
  }
  return { action: 'created', ...empty, commit: await initLocal(dir, await options.author(), options.when) };
}

async function initUrl(location: Extract<RegistryLocation, { kind: 'url' }>, options: InitOptions): Promise<InitOutcome> {
  const { url, cacheDir } = location;
  if (existsSync(cacheDir)) await fetchAll(cacheDir, url);
  else await cloneInto(url, cacheDir);
  const outcome = await initClone(cacheDir, url, options);
  if (outcome.action === 'cloned') {
    if (options.allowExisting) return { ...outcome, action: 'exists' };
    throw new InputError(`${url} already holds a Tessera registry${await originNote(cacheDir)}`, useItHint(location));
  }
  return outcome;
}

/**
 * Given a fresh bare clone of `url`: if the remote is empty, make and push
 * the first commit. 'cloned' when it already holds a registry (also when a
 * racing init won).
 */
async function initClone(gitDir: string, url: string, options: InitOptions): Promise<InitOutcome> {
  const existing = { action: 'cloned' as const, gitDir, commit: undefined, remoteHead: undefined };
  if (await holdsRegistry(gitDir)) return existing;
  const branches = await branchNames(gitDir);
  if (branches.length > 0) throw notARegistry(url, branches);
  const author = await options.author();
  const { commit, scratchRef } = await firstCommit(gitDir, author, options.when);
  const pushed = await push(gitDir, url, [`--force-with-lease=${MAIN_REF}:`, `${commit}:${MAIN_REF}`]).catch(async (e: unknown) => {
    await git(['update-ref', '-d', scratchRef], { cwd: gitDir, allowFailure: true });
    throw e;
  });
  if (pushed === 'rejected') {
    // Someone initialised it at the same moment: theirs is the registry; leave the clone at it.
    await git(['update-ref', '-d', scratchRef], { cwd: gitDir, allowFailure: true });
    await fetchAll(gitDir, url);
    if (await holdsRegistry(gitDir)) return existing;
    throw notARegistry(url, await branchNames(gitDir));
  }
  await publishFirstCommitLocally(gitDir, commit, scratchRef);
  return { action: 'initialised-remote', gitDir, commit, remoteHead: await pointRemoteHeadAtMain(url) };
}

/** `tessera init DIR --remote URL`: a clone of the shared registry in DIR, initialising the remote if it is empty. */
export async function initFromRemote(dir: string, url: string, author: Identity, when: number): Promise<InitOutcome> {
  assertEmptyDir(dir);
  if (existsSync(dir)) rmdirSync(dir);
  await cloneInto(url, path.resolve(dir));
  try {
    return await initClone(dir, url, { author: async () => author, when });
  } catch (e) {
    // Refused or failed: leave no half-made clone behind.
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
