/**
 * Opening the registry a command selected. The default local registry is
 * made on first use (a write: it is the registry's first commit); a dry run
 * on a machine without one plans against a throwaway empty registry instead,
 * which is what a first real run starts from, so nothing is created.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppContext } from './context.js';
import { isoNow, unixSeconds } from './context.js';
import type { DomainEvent } from '../core/events.js';
import { Repository } from '../registry/repository.js';
import { initLocal } from '../registry/init.js';
import type { RegistryLocation } from '../registry/locate.js';

/** Before a registry is open: who acts (asked only if a registry must be made) and when. */
export type OpenContext = Omit<AppContext, 'repo'>;

export interface OpenRequest {
  location: RegistryLocation;
  dryRun?: boolean;
}

export interface OpenedRegistry {
  repo: Repository;
  /** Warnings to show on stderr before the command's own output. */
  notices: string[];
  /** registry.initialised, when opening made the default registry. */
  events: DomainEvent[];
  /** Close the repository and remove a dry run's scratch registry. */
  close(): void;
}

export async function openRegistry(ctx: OpenContext, request: OpenRequest): Promise<OpenedRegistry> {
  let { location } = request;
  const notices: string[] = [];
  const events: DomainEvent[] = [];
  const makeRegistry = async (dir: string) => {
    const at = ctx.now();
    const actor = await ctx.identity();
    return { commit: await initLocal(dir, actor, unixSeconds(at)), actor: actor.email, at: isoNow(at) };
  };
  let scratch: string | undefined;
  const removeScratch = () => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  };
  try {
    if (request.dryRun && location.kind === 'path' && location.isDefault && !existsSync(location.path)) {
      scratch = mkdtempSync(path.join(os.tmpdir(), 'tessera-dry-run-'));
      const empty = path.join(scratch, 'registry');
      await makeRegistry(empty);
      notices.push(`tessera: no registry at ${location.path} yet; dry run against an empty one (nothing is created)`);
      location = { kind: 'path', path: empty, source: location.source, isDefault: false };
    }
    const repo = await Repository.open(location, {
      createDefault: async (dir) => {
        const made = await makeRegistry(dir);
        events.push({ type: 'registry.initialised', actor: made.actor, at: made.at, commit: made.commit });
        notices.push(`tessera: created the default local registry at ${dir}`);
      },
    });
    return {
      repo,
      notices,
      events,
      close: () => {
        repo.close();
        removeScratch();
      },
    };
  } catch (e) {
    removeScratch();
    throw e;
  }
}
