import { withRegistry } from '../context.js';
import { readLog } from '../../registry/log.js';
import { InputError } from '../../core/errors.js';
import { printJson, printLine } from '../output.js';
import { qualityRows } from './log-quality.js';

export async function run(_args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const asset = opts.asset as string | undefined;
  const team = opts.team as string | undefined;
  const event = opts.event as string | undefined;
  const since = opts.since as string | undefined;
  const limit = Number(opts.limit ?? 200);
  if (!Number.isInteger(limit) || limit <= 0) throw new InputError(`--limit ${String(opts.limit)} is not a positive whole number`);
  return withRegistry(opts, async (ctx) => {
    await ctx.repo.sync();
    let entries = await readLog(ctx.repo.gitDir, { ...(since ? { since } : {}) });
    entries = entries.filter(
      (e) =>
        (!asset || e.assets.includes(asset)) &&
        (!team || e.team === team || e.actor === team || e.key?.team === team) &&
        (!event || e.event === event || e.event.startsWith(event + '.') || e.event.startsWith(event)),
    );
    // Quality commits expand into one row per recorded test result.
    if (event?.startsWith('quality')) return qualityRows(ctx.repo, entries, { ...(asset ? { asset } : {}), limit, json: Boolean(opts.json) });
    entries = entries.slice(0, limit);
    if (opts.json) {
      printJson({ count: entries.length, events: entries });
      return 0;
    }
    if (entries.length === 0) printLine('No events match.');
    for (const e of entries) {
      const what = [e.assets.slice(0, 3).join(', ') + (e.assets.length > 3 ? ` +${e.assets.length - 3}` : ''), e.version, e.proposal, e.team && `team ${e.team}`].filter(Boolean).join('  ');
      const actor = e.key ? `${e.key.team} key ${e.key.id}` : e.actor;
      printLine(`${e.time}  ${e.event.padEnd(22)} ${actor.padEnd(24)} ${what}`);
    }
    return 0;
  });
}
