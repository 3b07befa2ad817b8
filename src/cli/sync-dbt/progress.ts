/**
 * Progress on stderr: an ora spinner with counts when stderr is a terminal
 * (ora is imported only then), plain `tessera: ...` lines otherwise, nothing
 * for machine formats.
 */
export interface Progress {
  step(text: string): void;
  stop(): void;
}

const SILENT: Progress = { step: () => undefined, stop: () => undefined };

export async function startProgress(enabled: boolean): Promise<Progress> {
  if (!enabled) return SILENT;
  if (!process.stderr.isTTY) {
    return { step: (text) => process.stderr.write(`tessera: ${text}\n`), stop: () => undefined };
  }
  const { default: ora } = await import('ora');
  const spinner = ora({ stream: process.stderr, text: 'sync-dbt' }).start();
  return {
    step: (text) => {
      spinner.text = text;
    },
    stop: () => spinner.stop(),
  };
}
