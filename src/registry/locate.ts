/**
 * Which registry a command uses: --registry, else TESSERA_REGISTRY, else a
 * `registry:` key in the nearest .tessera.yaml from the current directory up
 * to the git root, else the default local registry $TESSERA_HOME/registry.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { InputError } from '../core/errors.js';

export type RegistryLocation =
  | { kind: 'path'; path: string; source: string; isDefault: boolean }
  | { kind: 'url'; url: string; cacheDir: string; source: string };

/** Git URLs: scheme://…, or scp-like user@host:path. A plain path is a local registry. */
export function isGitUrl(spec: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(spec) || /^[^/\\:@]+@[^/\\:]+:/.test(spec);
}

export function tesseraHome(): string {
  return process.env.TESSERA_HOME || path.join(os.homedir(), '.tessera');
}

export function cacheRoot(): string {
  const xdg = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(xdg, 'tessera');
}

/** A stable, readable cache folder name for a URL. */
export function cacheDirFor(url: string): string {
  const hash = createHash('sha256').update(url).digest('hex').slice(0, 12);
  const tail = url.replace(/\.git$/, '').split(/[/:]/).filter(Boolean).pop() ?? 'registry';
  return path.join(cacheRoot(), `${tail.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 40)}-${hash}`);
}

function fromSpec(spec: string, source: string, baseDir: string): RegistryLocation {
  if (isGitUrl(spec)) return { kind: 'url', url: spec, cacheDir: cacheDirFor(spec), source };
  return { kind: 'path', path: path.resolve(baseDir, spec), source, isDefault: false };
}

/** Walk from cwd up to the enclosing git root (or the filesystem root) looking for .tessera.yaml. */
function findProjectConfig(cwd: string): { file: string; registry: string } | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    const file = path.join(dir, '.tessera.yaml');
    if (existsSync(file)) {
      let value: unknown;
      try {
        value = parse(readFileSync(file, 'utf8'), { maxAliasCount: 10 });
      } catch (e) {
        throw new InputError(`${file} is not valid YAML: ${(e as Error).message.split('\n')[0]}`, 'fix the file or pass --registry');
      }
      const registry = (value as { registry?: unknown } | null)?.registry;
      if (registry !== undefined && typeof registry !== 'string') throw new InputError(`${file}: registry must be a path or a Git URL string`);
      if (typeof registry === 'string') return { file, registry };
    }
    if (existsSync(path.join(dir, '.git'))) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function locateRegistry(flag: string | undefined, cwd = process.cwd()): RegistryLocation {
  if (flag !== undefined && flag !== '') return fromSpec(flag, '--registry', cwd);
  const env = process.env.TESSERA_REGISTRY;
  if (env) return fromSpec(env, 'TESSERA_REGISTRY', cwd);
  const project = findProjectConfig(cwd);
  if (project) return fromSpec(project.registry, project.file, path.dirname(project.file));
  return { kind: 'path', path: path.join(tesseraHome(), 'registry'), source: 'default', isDefault: true };
}
