/**
 * `tessera complete <kind...>` (hidden): what the completion scripts call for
 * registry names, one per line. Loads only the registry reads, none of the
 * script generation. Completion must never disturb the prompt: whatever goes
 * wrong (no registry, no clone of a shared one, a corrupt repository, a bad
 * .tessera.yaml) prints nothing and exits 0.
 */
import { NAME_SOURCES, type NameSource } from './tree.js';
import { locateRegistry } from '../../registry/locate.js';
import { listNames } from '../../registry/names.js';

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const kinds = ((args[0] as string[] | undefined) ?? []).filter((k): k is NameSource => (NAME_SOURCES as readonly string[]).includes(k));
  let names: string[] = [];
  try {
    names = await listNames(locateRegistry(opts.registry as string | undefined), kinds);
  } catch {
    names = [];
  }
  if (names.length > 0) process.stdout.write(names.join('\n') + '\n');
  return 0;
}
