/** Definitions of the ui commands. */
import type { Command } from 'commander';

export function defineUiCommands(_program: Command): void {
  // Filled in by the ui work.
}
