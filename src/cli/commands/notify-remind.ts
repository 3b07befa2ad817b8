/**
 * `tessera notify --remind [--older-than D]`. Exported as runRemind so the
 * engine's `tessera notify` can hand --remind over to it. Exit 0 when every
 * digest was delivered or skipped for unset variables, 3 when a transport
 * failed (the receiver is down or refused it).
 */
import { withRegistry } from '../context.js';
import { printJson, printLine, notice } from '../output.js';
import { remind } from '../../app/remind.js';
import { transports } from '../../notify/transports.js';
import { ExitCode, InputError } from '../../core/errors.js';

/** One attempt per channel; the same deadline the delivery engine gives a send. */
const SEND_TIMEOUT_MS = 10_000;

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** `2d`, `36h`, `90m`, `1w` in milliseconds; a one-line InputError otherwise. */
export function parseDuration(raw: string): number {
  const m = /^(\d{1,6})([mhdw])$/.exec(raw.trim());
  if (!m) throw new InputError(`--older-than ${JSON.stringify(raw)} is not a duration`, 'use a whole number and a unit m, h, d or w, e.g. --older-than 2d or --older-than 36h');
  return Number(m[1]) * UNITS[m[2]!]!;
}

export async function runRemind(opts: Record<string, unknown>): Promise<number> {
  const olderThanMs = opts.olderThan === undefined ? 0 : parseDuration(String(opts.olderThan));
  return withRegistry(opts, async (ctx) => {
    const { result } = await remind(ctx, { olderThanMs, env: process.env, transports, timeoutMs: SEND_TIMEOUT_MS });
    const failed = result.digests.filter((d) => !d.result.ok && !d.result.skipped);
    for (const e of result.channelErrors) notice(`tessera: ${e}; that channel is skipped`);
    for (const d of result.digests) {
      if (d.result.skipped) notice(`tessera: warning: reminder for ${d.team} not sent through ${d.channel}: ${d.result.error ?? 'its variables are unset'}`);
      else if (!d.result.ok) notice(`tessera: reminder for ${d.team} through ${d.channel} failed: ${d.result.error ?? `status ${d.result.status}`}`);
    }
    if (opts.json) {
      printJson({ schema_version: 'tessera.notify-remind/v1', ...result });
    } else {
      if (result.digests.length === 0 && result.unserved.length === 0) printLine('No proposal is waiting for any team.');
      for (const d of result.digests) {
        const n = `${d.proposals.length} proposal${d.proposals.length === 1 ? '' : 's'}`;
        const state = d.result.ok ? 'sent' : d.result.skipped ? 'skipped' : 'failed';
        printLine(`${state.padEnd(7)} ${d.team}: ${n} (${d.proposals.join(', ')}) via ${d.channel}  ${d.id}`);
      }
      for (const u of result.unserved) printLine(`unsent  ${u.team}: ${u.proposals.length} waiting (${u.proposals.join(', ')}), no channel serves this team`);
    }
    return failed.length ? ExitCode.Registry : 0;
  });
}
