/** Definitions of the dbt commands. */
import type { Command } from 'commander';

export function defineDbtCommands(_program: Command): void {
  // Filled in by the dbt work.
}
