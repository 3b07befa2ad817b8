import { withRegistry } from '../context.js';
import { notify, notifyStatus, type StatusEntry } from '../../app/notify.js';
import { transports } from '../../notify/transports.js';
import { runRemind } from './notify-remind.js';
import { InputError } from '../../core/errors.js';
import { notice, printJson, printLine } from '../output.js';

const line = (e: StatusEntry) =>
  `  ${e.channel}  ${e.type}  ${[e.asset, e.proposal].filter(Boolean).join(' ')}  ${e.event}  attempts ${e.attempts}` +
  `${e.next_attempt_at ? `  next ${e.next_attempt_at}` : ''}${e.last_error ? `  last error: ${e.last_error}` : ''}`;

export async function run(_args: unknown[], opts: Record<string, unknown>): Promise<number> {
  if (opts.remind) {
    if (opts.status) throw new InputError('--remind and --status do not go together', 'run tessera notify --status and tessera notify --remind separately');
    return runRemind(opts);
  }
  if (opts.olderThan !== undefined) throw new InputError('--older-than needs --remind', 'run: tessera notify --remind --older-than 2d');
  if (opts.status) {
    return withRegistry(opts, async (ctx) => {
      const s = await notifyStatus(ctx);
      for (const e of s.channelErrors) notice(`tessera: ${e}; that channel is skipped`);
      if (opts.json) printJson({ pending: s.pending, dead: s.dead, delivered: s.delivered, errors: s.channelErrors });
      else {
        printLine(`${s.pending.length} pending, ${s.dead.length} dead-lettered, ${s.delivered} delivered`);
        if (s.pending.length > 0) printLine('Pending:');
        for (const e of s.pending) printLine(line(e));
        if (s.dead.length > 0) printLine('Dead-lettered (not retried):');
        for (const e of s.dead) printLine(line(e));
      }
      return 0;
    });
  }
  return withRegistry(opts, async (ctx) => {
    const { result } = await notify(ctx, { transports, env: process.env });
    for (const w of result.warnings) notice(`tessera: ${w}`);
    if (opts.json) printJson(result);
    else {
      for (const a of result.attempts) {
        const what = a.state === 'delivered' ? 'sent' : a.state === 'duplicate' ? 'already recorded by another run' : a.state === 'dead' ? `dead-lettered (${a.error})` : `failed, will retry (${a.error})`;
        printLine(`${a.channel}  ${a.type}  ${a.event}  ${what}`);
      }
      printLine(`${result.attempts.filter((a) => a.state === 'delivered').length} sent, ${result.pending} pending, ${result.dead} dead-lettered`);
    }
    return 0;
  }, { writes: true, notifyInline: false });
}
