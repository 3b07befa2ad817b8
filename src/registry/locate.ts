/**
 * Which registry a command uses: --registry, else TESSERA_REGISTRY, else a
 * `registry:` key in the nearest .tessera.yaml from the current directory up
 * to the git root, else the default local registry $TESSERA_HOME/registry.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { parse, parseDocument, stringify } from 'yaml';
import { z } from 'zod';
import { InputError, RegistryError } from '../core/errors.js';

export const PROJECT_CONFIG_FILE = '.tessera.yaml';

/** A project's .tessera.yaml: which registry its commands use. Other keys are kept, not read. */
export const projectConfigSchema = z.looseObject({
  registry: z.string({ error: 'registry must be a path or a Git URL string' }).min(1, { error: 'registry must not be empty' }).optional(),
});

export type RegistryLocation =
  /** `given`: the path as written (relative or absolute), when it was written somewhere. */
  | { kind: 'path'; path: string; source: string; isDefault: boolean; given?: string }
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
  return { kind: 'path', path: path.resolve(baseDir, spec), source, isDefault: false, given: spec };
}

export function locationFromSpec(spec: string, source: string, baseDir = process.cwd()): RegistryLocation {
  return fromSpec(spec, source, baseDir);
}

/** Read and validate one .tessera.yaml; undefined when the file does not exist. */
export function readProjectConfig(file: string): z.infer<typeof projectConfigSchema> | undefined {
  if (!existsSync(file)) return undefined;
  let value: unknown;
  try {
    value = parse(readFileSync(file, 'utf8'), { maxAliasCount: 10 });
  } catch (e) {
    throw new InputError(`${file} is not valid YAML: ${(e as Error).message.split('\n')[0]}`, 'fix the file or pass --registry');
  }
  const parsed = projectConfigSchema.safeParse(value ?? {});
  if (!parsed.success) throw new InputError(`${file}: ${parsed.error.issues[0]?.message ?? 'not a mapping'}`, 'write registry: <path or Git URL>');
  return parsed.data;
}

/** Walk from cwd up to the enclosing git root (or the filesystem root) looking for .tessera.yaml. */
function findProjectConfig(cwd: string): { file: string; registry: string } | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    const file = path.join(dir, PROJECT_CONFIG_FILE);
    const registry = readProjectConfig(file)?.registry;
    if (registry !== undefined) return { file, registry };
    if (existsSync(path.join(dir, '.git'))) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function locateRegistry(flag: string | undefined, cwd = process.cwd(), flagName = '--registry'): RegistryLocation {
  if (flag !== undefined && flag !== '') return fromSpec(flag, flagName, cwd);
  const env = process.env.TESSERA_REGISTRY;
  if (env) return fromSpec(env, 'TESSERA_REGISTRY', cwd);
  const project = findProjectConfig(cwd);
  if (project) return fromSpec(project.registry, project.file, path.dirname(project.file));
  return { kind: 'path', path: path.join(tesseraHome(), 'registry'), source: 'default', isDefault: true };
}

/** Why this registry was selected, for people: "--registry", "env TESSERA_REGISTRY", "file <path>", "default". */
export function describeSource(location: RegistryLocation): string {
  if (location.source === 'TESSERA_REGISTRY') return 'env TESSERA_REGISTRY';
  if (location.source.startsWith('--') || location.source === 'default' || location.source === 'argument') return location.source;
  return `file ${location.source}`;
}

export function describeLocation(location: RegistryLocation): string {
  return location.kind === 'url' ? location.url : location.path;
}

/** A word a POSIX shell reads back unchanged. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./~-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The `tessera init` command that creates the registry a command selected,
 * as it would work pasted into the same shell and directory: init honours
 * TESSERA_REGISTRY and .tessera.yaml, so only a flag has to be repeated.
 */
export function initCommand(location: RegistryLocation | undefined): string {
  if (!location) return 'tessera init';
  if (location.source === 'TESSERA_REGISTRY' || location.source === 'default' || location.source.endsWith(PROJECT_CONFIG_FILE)) return 'tessera init';
  if (location.kind === 'url') return `tessera init --registry ${shellQuote(location.url)}`;
  return location.source === '--registry' ? `tessera init --registry ${shellQuote(location.path)}` : `tessera init ${shellQuote(location.path)}`;
}

/**
 * The selected registry does not exist yet (an empty remote, a missing
 * path). Thrown without knowing how it was selected; `forLocation` gives the
 * exact `tessera init` command once the caller knows.
 */
export class NoRegistryError extends RegistryError {
  readonly what: string;
  readonly location: RegistryLocation | undefined;
  constructor(what: string, location?: RegistryLocation) {
    super(what, `create it with: ${initCommand(location)}`);
    this.name = 'NoRegistryError';
    this.what = what;
    this.location = location;
  }

  forLocation(location: RegistryLocation): NoRegistryError {
    return this.location ? this : new NoRegistryError(this.what, location);
  }
}

function sameRegistry(a: RegistryLocation, b: RegistryLocation): boolean {
  return a.kind === 'url' ? b.kind === 'url' && a.url === b.url : b.kind === 'path' && path.resolve(a.path) === path.resolve(b.path);
}

/**
 * Write `registry:` into `<dir>/.tessera.yaml` so that commands run in dir
 * (or below it, up to the git root) select this registry. A path given
 * relative is written relative to dir, so it resolves the same from the file.
 * An existing file naming the same registry is left alone; one naming
 * another is refused; other keys in it are kept.
 */
export function writeProjectConfig(dir: string, location: RegistryLocation): { file: string; registry: string; action: 'written' | 'unchanged' } {
  if (location.kind === 'path' && location.isDefault) {
    throw new InputError('--write-config needs a registry to name, and the default local registry is per machine', 'pass --registry <Git URL or path> (or set TESSERA_REGISTRY)');
  }
  const file = path.join(dir, PROJECT_CONFIG_FILE);
  const spec =
    location.kind === 'url' ? location.url : location.given !== undefined && path.isAbsolute(location.given) ? location.path : path.relative(dir, location.path) || '.';
  const existing = readProjectConfig(file);
  if (existing?.registry !== undefined) {
    if (sameRegistry(fromSpec(existing.registry, file, dir), location)) return { file, registry: existing.registry, action: 'unchanged' };
    throw new InputError(`${file} already names another registry (${existing.registry})`, 'edit or remove that file first, or select that registry');
  }
  let text: string;
  if (existing) {
    const doc = parseDocument(readFileSync(file, 'utf8'));
    doc.set('registry', spec);
    text = doc.toString();
  } else text = `# The Tessera registry that commands run in this directory use (see docs/registry-format.md).\n${stringify({ registry: spec })}`;
  const check = projectConfigSchema.safeParse(parse(text));
  if (!check.success || check.data.registry !== spec) throw new InputError(`cannot write ${file}: the result would not read back`, 'write registry: <path or URL> into it by hand');
  writeFileSync(file, text);
  return { file, registry: spec, action: 'written' };
}
