import { InputError } from '../../core/errors.js';

export async function run(_args: unknown[], _opts: Record<string, unknown>): Promise<number> {
  throw new InputError('tessera explain is not built yet');
}
