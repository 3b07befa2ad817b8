/**
 * `init`: make the registry a location names (a local bare repository, or
 * the first commit of an empty remote through the cache clone), or one's own
 * clone of a shared registry (DIR --remote URL), and with --write-config
 * name it in the project's .tessera.yaml.
 */
import type { AppContext, Outcome } from './context.js';
import { isoNow, unixSeconds } from './context.js';
import type { DomainEvent } from '../core/events.js';
import { MAIN_REF } from '../core/paths.js';
import type { Identity } from '../registry/commit-writer.js';
import { initFromRemote, initSelected, type InitOutcome } from '../registry/init.js';
import { writeProjectConfig, type RegistryLocation } from '../registry/locate.js';

/** No registry is open yet: init makes it. */
export type InitContext = Omit<AppContext, 'repo'>;

export interface InitRequest {
  location: RegistryLocation;
  /** `init DIR --remote URL`: the location is a URL whose cacheDir is DIR, a new clone of one's own (DIR must be empty). */
  ownClone?: boolean;
  /** --write-config: the directory whose .tessera.yaml is to name the registry (an existing registry is then no error). */
  writeConfigIn?: string;
}

export interface InitResult extends InitOutcome {
  config: { file: string; registry: string; action: 'written' | 'unchanged' } | undefined;
  /** Warnings to show on stderr, before the result. */
  notices: string[];
}

/** Attached to an error thrown after the registry was made, so the adapter still shows the init's notices before it. */
export interface InitFailure {
  initNotices?: string[];
}

export async function init(ctx: InitContext, request: InitRequest): Promise<Outcome<InitResult>> {
  const { location } = request;
  const at = ctx.now();
  const when = unixSeconds(at);
  let actor: Identity | undefined;
  const author = async () => (actor = await ctx.identity());

  let outcome: InitOutcome;
  if (request.ownClone && location.kind === 'url') outcome = await initFromRemote(location.cacheDir, location.url, await author(), when);
  else outcome = await initSelected(location, { author, when, allowExisting: request.writeConfigIn !== undefined });
  const notices = outcome.remoteHead?.notice ? [outcome.remoteHead.notice] : [];

  let config: InitResult['config'];
  try {
    config = request.writeConfigIn !== undefined ? writeProjectConfig(request.writeConfigIn, location) : undefined;
  } catch (e) {
    if (e instanceof Error) (e as InitFailure).initNotices = notices;
    throw e;
  }

  const events: DomainEvent[] = [];
  const commits: Record<string, string> = {};
  if (outcome.commit !== undefined && actor) {
    commits[MAIN_REF] = outcome.commit;
    events.push({ type: 'registry.initialised', actor: actor.email, at: isoNow(at), commit: outcome.commit });
  }
  return { result: { ...outcome, config, notices }, commits, events, retries: 0 };
}
