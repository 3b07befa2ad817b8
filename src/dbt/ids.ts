/**
 * Names Tessera derives from dbt: asset ids (from the warehouse relation) and
 * team names (from owners). Both must be safe as file and ref names whatever
 * a manifest contains, so every character outside a small alphabet goes.
 * See docs/dbt.md, "Asset ids".
 */
import { ASSET_ID_MAX, ASSET_ID_PATTERN, TEAM_MAX, TEAM_PATTERN } from '../core/model.js';

/** One part of a relation: lower-case, [a-z0-9_-] only (a dot inside a quoted name would fake a separator). */
export function idPart(raw: string | null | undefined): string {
  if (!raw) return '';
  return raw.toLowerCase().replace(/[^a-z0-9_-]/g, '_');
}

/**
 * `database.schema.alias` as an asset id, or undefined when nothing usable is
 * left. Empty parts are dropped; the id must start with [a-z0-9] (leading
 * `_`/`-` are stripped) and must not end in `.lock` (git refuses such refs).
 * Over ASSET_ID_MAX the tail is cut and a hash of the full id appended.
 */
export function relationId(parts: ReadonlyArray<string | null | undefined>): string | undefined {
  const clean = parts.map(idPart);
  // The table name must say something; a database or schema that says nothing is dropped.
  const last = clean.pop();
  if (!last || !/[a-z0-9]/.test(last)) return undefined;
  clean.splice(0, clean.length, ...clean.filter((p) => /[a-z0-9]/.test(p)), last);
  let id = clean.join('.').replace(/^[^a-z0-9]+/, '');
  if (id.endsWith('.lock')) id += '_';
  if (id.length > ASSET_ID_MAX) id = `${id.slice(0, ASSET_ID_MAX - 9).replace(/[.]+$/, '')}-${hash8(id)}`;
  return isAssetId(id) ? id : undefined;
}

export function isAssetId(id: string): boolean {
  return id.length <= ASSET_ID_MAX && ASSET_ID_PATTERN.test(id) && !id.endsWith('.') && !id.endsWith('.lock');
}

/**
 * A team name from an owner string: `@drew` -> `drew`, `Finance` -> `finance`,
 * `Data Team` -> `data-team`, `jane.doe@corp.com` -> `jane-doe`.
 */
export function teamSlug(raw: string | null | undefined): string | undefined {
  if (typeof raw !== 'string') return undefined;
  let s = raw.trim().toLowerCase();
  const at = s.indexOf('@');
  if (at > 0 && isEmail(s)) s = s.slice(0, at);
  s = s
    .replace(/^@+/, '')
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/[-_]+$/, '')
    .slice(0, TEAM_MAX)
    .replace(/[-_]+$/, '');
  return s && TEAM_PATTERN.test(s) ? s : undefined;
}

export function isEmail(s: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s.trim());
}

/** FNV-1a, 32 bits, as 8 hex digits: short, stable, no crypto import needed for a disambiguator. */
export function hash8(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
