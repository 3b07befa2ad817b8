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
  /** The write's commits; default every commit this process published. */
  commits?: readonly string[];
  /**
   * Read the events from the log since `since` instead of from the write's
   * own commits: a long-lived server, whose requests' commits are batched
   * (group commit) and which delivers after the fact, in the background.
   */
  fromLog?: boolean;
  timeoutMs?: number;
}

/**
 * Deliver the events this process wrote to the channels usable here.
 * Undefined when it wrote nothing, or no channel is usable (the common case:
 * tessera.yaml and channels/ read through cat-file, no git process started).
 */
export async function deliverInline(ctx: AppContext, request: InlineRequest): Promise<NotifyResult | undefined> {
  // This process's own commits: none, nothing to tell (a publish that changed nothing reads no further).
  const commits = request.fromLog ? undefined : [...(request.commits ?? ctx.repo.publishedCommits)];
  if (commits?.length === 0) return undefined;
  const main = await ctx.repo.snapshotPaths(MAIN_REF, [CONFIG_PATH, CHANNELS_DIR]);
  const { channels } = await readAllChannels(main);
  const ready = channels.filter((c) => channelBlocker(c, request.env, request.transports) === undefined).map((c) => c.name);
  if (ready.length === 0) return undefined;
  // Commit times are whole seconds: start from the second the write began.
  const since = new Date(Math.floor(request.since.getTime() / 1000) * 1000);
  const { result } = await notify(ctx, { transports: request.transports, env: request.env, since, ...(commits ? { commits } : {}), channels: ready, main, timeoutMs: request.timeoutMs ?? INLINE_TIMEOUT_MS });
  return result;
}

/** What an inline delivery says, one line each (on stderr for the CLI, in the log for a server). */
export function inlineReportLines(result: NotifyResult | undefined): string[] {
  if (!result) return [];
  const lines = result.warnings.map((w) => `tessera: ${w}`);
  for (const a of result.attempts) {
    if (a.state === 'delivered') lines.push(`tessera: notified ${a.channel}: ${a.type} (${a.event})`);
    else if (a.state !== 'duplicate') lines.push(`tessera: could not notify ${a.channel} of ${a.type} now (${a.error ?? a.state}); tessera notify ${a.state === 'dead' ? 'lists it as dead-lettered' : 'retries it'}`);
  }
  return lines;
}

/** The one line for an inline delivery that failed as a whole. */
export const inlineFailureLine = (e: unknown) => `tessera: notifications were not sent inline (${(e as Error).message.split('\n')[0]}); tessera notify sends them later`;
