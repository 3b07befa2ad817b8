/**
 * `tessera init [DIR] [--remote URL] [--write-config]`. Without DIR it
 * initialises the registry every other command would select (--registry,
 * TESSERA_REGISTRY, .tessera.yaml, the default); `--remote URL` alone means
 * `--registry URL`. DIR keeps its old meaning: a local registry there, or
 * with --remote a clone of the shared one in DIR.
 */
import path from 'node:path';
import { currentIdentity, now } from '../../registry/identity.js';
import { describeLocation, describeSource, initCommand, isGitUrl, locateRegistry, locationFromSpec, shellQuote, type RegistryLocation } from '../../registry/locate.js';
import { InputError } from '../../core/errors.js';
import { init, type InitFailure, type InitResult } from '../../app/init.js';
import { notice, printJson, printLine } from '../output.js';
import { noticeGuessedIdentity } from '../context.js';

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const dir = args[0] as string | undefined;
  const remote = opts.remote as string | undefined;
  const flag = opts.registry as string | undefined;
  const writeConfig = opts.writeConfig === true;
  if (remote !== undefined && flag !== undefined && flag !== remote) {
    throw new InputError('--remote and --registry name different registries', 'give one of them (without DIR, --remote URL is the same as --registry URL)');
  }
  if (dir !== undefined && writeConfig) throw new InputError('--write-config names the selected registry, not DIR', `drop DIR and pass --registry ${shellQuote(dir)}`);
  if (dir !== undefined && isGitUrl(dir)) throw new InputError(`${dir} is a URL, not a directory`, `to initialise that remote: ${initCommand(locationFromSpec(dir, '--registry'))}`);

  const location: RegistryLocation =
    dir !== undefined
      ? remote !== undefined
        ? { kind: 'url', url: remote, cacheDir: path.resolve(dir), source: 'argument' }
        : locationFromSpec(dir, 'argument')
      : remote !== undefined
        ? locateRegistry(remote, process.cwd(), '--remote')
        : locateRegistry(flag);
  // A local registry can start without a git identity (acting as login@host); a shared one cannot.
  const identity = async () => noticeGuessedIdentity(await currentIdentity(process.cwd(), { guess: location.kind !== 'url' }));
  const request = { location, ownClone: dir !== undefined && remote !== undefined, ...(writeConfig ? { writeConfigIn: process.cwd() } : {}) };
  let outcome: InitResult;
  try {
    ({ result: outcome } = await init({ identity, now }, request));
  } catch (e) {
    for (const n of (e as InitFailure).initNotices ?? []) notice(n);
    throw e;
  }
  for (const n of outcome.notices) notice(n);
  const config = outcome.config;

  if (opts.json) {
    printJson({
      schema_version: 'tessera.init/v1',
      action: outcome.action,
      registry: { kind: location.kind, ...(location.kind === 'url' ? { url: location.url } : { path: location.path }), source: location.source },
      clone: location.kind === 'url' ? outcome.gitDir : null,
      commit: outcome.commit ?? null,
      remote_head: outcome.remoteHead ? { branch: outcome.remoteHead.branch, status: outcome.remoteHead.status } : null,
      config: config ? { path: config.file, registry: config.registry, action: config.action } : null,
    });
    return 0;
  }
  const where = describeLocation(location);
  const lines: string[] = [];
  // How to select what was made, where the selection did not already say: DIR for one's own clone, else the URL.
  const useWith = location.source === 'argument' ? (location.kind === 'url' ? outcome.gitDir : where) : where;
  if (outcome.action === 'cloned') lines.push(`Cloned the shared registry ${where} into ${outcome.gitDir}`);
  else if (outcome.action === 'exists') lines.push(`The registry ${where} exists already (${describeSource(location)})`);
  else if (outcome.action === 'initialised-remote') lines.push(`Initialised the empty remote ${where} as a registry; local clone in ${outcome.gitDir}`);
  else lines.push(`Created a registry in ${where}`);
  if (outcome.action !== 'exists' && (location.source === 'argument' || location.source === '--remote')) {
    lines.push(`Use it with --registry ${shellQuote(useWith)} or TESSERA_REGISTRY=${shellQuote(useWith)}`);
  }
  if (config) lines.push(config.action === 'written' ? `Wrote ${config.file} (registry: ${config.registry})` : `${config.file} already names this registry; left as it is`);
  for (const l of lines) printLine(l);
  return 0;
}
