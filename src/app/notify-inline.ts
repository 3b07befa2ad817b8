/**
 * Inline delivery: the process that wrote delivers its own events at once,
 * through the channels whose variables are set in its environment, within
 * a few seconds. It is a shortcut, never the only way: whatever it cannot
 * send stays pending for `tessera notify`, and it never fails the write.
 */
import type { AppContext } from './context.js';
import { channelBlocker, notify, type NotifyResult, type Transports } from './notify.js';
import { readAllChannels } from '../registry/channels.js';
import { CHANNELS_DIR, CONFIG_PATH, MAIN_REF } from '../core/paths.js';

/** Per delivery: a write should not wait long on a slow receiver. */
export const INLINE_TIMEOUT_MS = 3000;

export interface InlineRequest {
  transports: Transports;
  env: NodeJS.ProcessEnv;
  /** When the write began: only events from then on are this process's to deliver. */
  since: Date;
  /** The write's commits; default every commit this process published (a long-lived server passes each request's own). */
  commits?: readonly string[];
  timeoutMs?: number;
}

/**
 * Deliver the events this process wrote to the channels usable here.
 * Undefined when it wrote nothing, or no channel is usable (the common case:
 * tessera.yaml and channels/ read through cat-file, no git process started).
 */
export async function deliverInline(ctx: AppContext, request: InlineRequest): Promise<NotifyResult | undefined> {
  // This process's own commits: none, nothing to tell (a publish that changed nothing reads no further).
  const commits = [...(request.commits ?? ctx.repo.publishedCommits)];
  if (commits.length === 0) return undefined;
  const main = await ctx.repo.snapshotPaths(MAIN_REF, [CONFIG_PATH, CHANNELS_DIR]);
  const { channels } = await readAllChannels(main);
  const ready = channels.filter((c) => channelBlocker(c, request.env, request.transports) === undefined).map((c) => c.name);
  if (ready.length === 0) return undefined;
  // Commit times are whole seconds: start from the second the write began.
  const since = new Date(Math.floor(request.since.getTime() / 1000) * 1000);
  const { result } = await notify(ctx, { transports: request.transports, env: request.env, since, commits, channels: ready, main, timeoutMs: request.timeoutMs ?? INLINE_TIMEOUT_MS });
  return result;
}
