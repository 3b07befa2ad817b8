/**
 * Inline delivery for the long-lived servers (`tessera serve`, `tessera
 * ui`): after a write, the channels whose variables are set in this
 * process's environment are told, as the CLI's writes tell them. Here it
 * happens after the response, in the background, one run at a time (a
 * request never waits on a receiver), reading the events written since
 * the earliest write not yet delivered. What a run cannot send stays
 * pending for `tessera notify`; a run never fails a request.
 */
import type { AppContext } from '../app/context.js';

export class BackgroundNotifier {
  private since: Date | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly ctx: AppContext,
    private readonly log: (line: string) => void,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** A write began at `at`: deliver its events (and any other written since) soon. */
  kick(at: Date): void {
    if (!this.since || at < this.since) this.since = at;
    this.running ??= this.drain().finally(() => (this.running = undefined));
  }

  /** Resolves once no run is under way (a server's shutdown waits for it). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    const [{ deliverInline, inlineFailureLine, inlineReportLines }, { transports }] = await Promise.all([import('../app/notify-inline.js'), import('../notify/transports.js')]);
    // Writes that land during a run start the next one: their time is kept in `since`.
    while (this.since) {
      const since = this.since;
      this.since = undefined;
      try {
        for (const line of inlineReportLines(await deliverInline(this.ctx, { transports, env: this.env, since, fromLog: true }))) this.log(line);
      } catch (e) {
        this.log(inlineFailureLine(e));
      }
    }
  }
}
