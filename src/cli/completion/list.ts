/**
 * `tessera completion --list <kind...>`: what the completion scripts call
 * for registry names, one per line. Kept apart from the script generators so
 * a completion loads no more than it needs. Completion must never disturb the
 * prompt: whatever goes wrong (no registry, no clone of a shared one, a
 * corrupt repository, a bad .tessera.yaml) prints nothing and exits 0.
 */
import { NAME_SOURCES, type NameSource } from './tree.js';
import { locateRegistry } from '../../registry/locate.js';
import { listNames } from '../../registry/names.js';

export async function listForCompletion(kinds: readonly string[], registry: string | undefined): Promise<number> {
  const wanted = kinds.filter((k): k is NameSource => (NAME_SOURCES as readonly string[]).includes(k));
  let names: string[] = [];
  try {
    names = await listNames(locateRegistry(registry), wanted);
  } catch {
    names = [];
  }
  if (names.length > 0) process.stdout.write(names.join('\n') + '\n');
  return 0;
}
