/** Checking declared fields against the contract they are declared on. Pure. */
import { InputError } from '../errors.js';
import { isObject } from '../diff/json.js';

/**
 * Refuses declared fields whose column the contract does not have: a typo
 * would scope a team away from the very column it reads. A nested path
 * (`address.city`) is checked by its column. Contracts without top-level
 * properties are not checked.
 */
export function checkDeclaredFields(asset: string, version: string, schema: unknown, fields: readonly string[]): void {
  if (!isObject(schema) || !isObject(schema.properties)) return;
  const columns = Object.keys(schema.properties);
  const known = new Set(columns);
  const unknown = fields.filter((f) => !known.has(f) && !known.has(f.split('.')[0]!));
  if (unknown.length === 0) return;
  throw new InputError(
    `${asset} ${version} has no column ${unknown.map((f) => `'${f}'`).join(', ')} (named in --fields)`,
    `declare columns it has: ${columns.slice(0, 12).join(', ')}${columns.length > 12 ? ', …' : ''}`,
  );
}
