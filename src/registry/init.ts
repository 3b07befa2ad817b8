/**
 * Creating a registry: a bare repository whose first commit holds
 * tessera.yaml (format 1). With a remote: clone it, or, when the remote is
 * empty, create the first commit and push it.
 */
import { existsSync, mkdirSync, readdirSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { git, resolveRef } from './git.js';
import { writeCommit, type Identity } from './commit-writer.js';
import { cloneInto } from './repository.js';
import { push } from './remote.js';
import { InputError, RegistryError } from '../core/errors.js';
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

export async function initLocal(dir: string, author: Identity, when: number): Promise<void> {
  assertEmptyDir(dir);
  mkdirSync(dir, { recursive: true });
  await git(['init', '--bare', '--quiet', `--initial-branch=${MAIN_BRANCH}`], { cwd: dir });
  const { commit, scratchRef } = await firstCommit(dir, author, when);
  await git(['update-ref', '--stdin'], { cwd: dir, input: `start\ncreate ${MAIN_REF} ${commit}\ndelete ${scratchRef}\nprepare\ncommit\n` });
}

/** Clone a shared registry into `dir`; initialise the remote if it is empty. Returns whether it was initialised. */
export async function initFromRemote(dir: string, url: string, author: Identity, when: number): Promise<'cloned' | 'initialised'> {
  assertEmptyDir(dir);
  if (existsSync(dir)) rmdirSync(dir);
  await cloneInto(url, path.resolve(dir));
  if (await resolveRef(dir, MAIN_REF)) return 'cloned';
  const { commit, scratchRef } = await firstCommit(dir, author, when);
  const outcome = await push(dir, url, [`--force-with-lease=${MAIN_REF}:`, `${commit}:${MAIN_REF}`]);
  if (outcome === 'rejected') {
    throw new RegistryError(`someone initialised ${url} at the same time`, 'run tessera init again to clone it');
  }
  await git(['update-ref', '--stdin'], { cwd: dir, input: `start\ncreate ${MAIN_REF} ${commit}\ndelete ${scratchRef}\nprepare\ncommit\n` });
  return 'initialised';
}
