/** `--guarantees FILE`: a YAML or JSON list of guarantees, validated like every registry value. */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { guaranteeSchema, type Guarantee } from '../core/model.js';

export async function readGuaranteesFile(file: string): Promise<Guarantee[]> {
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new InputError(`${file}: ${e.code === 'ENOENT' ? 'no such file' : 'cannot be read'}`, 'check the --guarantees path');
  });
  let value: unknown;
  try {
    value = parse(text, { maxAliasCount: 50 });
  } catch (e) {
    throw new InputError(`${file}: not valid YAML or JSON: ${(e as Error).message.split('\n')[0]}`, 'fix the syntax');
  }
  const list = Array.isArray(value) ? value : (value as { guarantees?: unknown } | null)?.guarantees;
  const r = z.array(guaranteeSchema).safeParse(list);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new InputError(`${file}: invalid guarantee at ${issue?.path.join('.') || '(top level)'}: ${issue?.message}`, 'each guarantee needs a kind, e.g. {kind: not_null, column: user_id}');
  }
  return r.data;
}
