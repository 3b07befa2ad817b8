/**
 * Footprints: which columns a change touches (docs/scoped-acks.md). A
 * footprint is a dotted column path (`email`, `address.city`) or ALL (the
 * table as a whole). Pure.
 */
import { ruleById } from '../diff/catalog.js';
import { avroRuleById } from '../avro/catalog.js';
import type { FootprintKind } from '../diff/catalog-types.js';
import { unescapeToken } from '../diff/json.js';

/** The footprint of a change that touches the table as a whole. */
export const ALL = '*';

/** One line per kind, for `tessera explain` and docs/rules.md. */
export const FOOTPRINT_MEANING: Record<FootprintKind, string> = {
  field: 'the column it is found in (at the table root, or a root `required` entry: that column; elsewhere at the root: every column)',
  table: 'the object it is found on as a whole (at the table root: every column; inside a column: that column)',
};

/**
 * The same kinds for the `avro.*` rules, whose paths are Avro's
 * (`/fields/a/fields/b`, `/fields/ref/long`, `/fields/status/symbols/HELD`).
 * Only the top-level field is trusted: below it a union branch named
 * `fields` reads like a nested field, so a deeper column could be the wrong one.
 */
export const AVRO_FOOTPRINT_MEANING: Record<FootprintKind, string> = {
  field: 'the top-level field (column) its path lies in; at the record itself (a record rename, a change found nowhere else): every column',
  table: 'the record holding the field at its path, as a whole (it pairs fields across names, so it may touch a field its path does not name): in the top-level record every column; in a record inside a field, that field',
};

/**
 * An Avro change's column. A shared named type's change is reported under
 * every top-level field that reaches it (src/core/avro/walk.ts), so the top
 * field of its path is every column it touches.
 */
function avroFootprint(kind: FootprintKind | undefined, segments: readonly string[]): string {
  if (!kind || segments[0] !== 'fields' || segments.length < 2) return ALL;
  if (kind === 'table' && segments.length === 2) return ALL;
  return segments[1]!;
}

/** The column path (dotted) a JSON Pointer lies under: `/properties/a/properties/b/maxLength` -> a.b. */
function columnPathOf(segments: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < segments.length && segments[i] === 'properties'; i += 2) out.push(segments[i + 1]!);
  return out;
}

/**
 * Guarantees carry their own subject: `/guarantees/not_null(email)` is on
 * email; a guarantee on several columns, or on none (a table test), is on
 * the table.
 */
function guaranteeFootprint(key: string): string {
  const m = /^[^()]+\(([^(),]+)\)$/.exec(key);
  return m ? m[1]! : ALL;
}

/**
 * What one change touches. Unknown rules (a catalog from a later release,
 * GUARANTEES_CHANGED, SCHEMA_CHANGED) and paths outside `properties` count
 * as the whole table, so a footprint never under-counts.
 */
export function footprintOf(change: { rule: string; path: string }): string {
  const segments = change.path === '' ? [] : change.path.replace(/^\//, '').split('/').map(unescapeToken);
  if (segments[0] === 'guarantees' && segments.length === 2 && change.rule.startsWith('GUARANTEE_') && change.rule !== 'GUARANTEES_CHANGED') return guaranteeFootprint(segments[1]!);
  if (change.rule.startsWith('avro.')) return avroFootprint(avroRuleById(change.rule)?.footprint, segments);
  const kind = ruleById(change.rule)?.footprint;
  if (!kind) return ALL;
  const column = columnPathOf(segments);
  if (column.length > 0) {
    // A table rule on a nested object (`/properties/address/additionalProperties`) touches that object, the column.
    return column.join('.');
  }
  if (kind === 'field' && segments[0] === 'required' && segments.length === 2) return segments[1]!;
  return ALL;
}

/** The footprint of a set of changes: every distinct one of its breaking changes, sorted (ALL alone when any touches everything). */
export function footprintOfChanges(changes: ReadonlyArray<{ rule: string; path: string; breaking: boolean }>): string[] {
  const prints = new Set(changes.filter((c) => c.breaking).map(footprintOf));
  if (prints.has(ALL)) return [ALL];
  return [...prints].sort();
}

/** Whether a declared field and a footprint overlap: the same column, or one nested in the other. */
export function fieldMeets(field: string, footprint: string): boolean {
  return footprint === ALL || field === footprint || footprint.startsWith(field + '.') || field.startsWith(footprint + '.');
}

/** The footprints among `footprint` that a scope (declared fields; undefined = every field) meets. */
export function scopeMeets(fields: readonly string[] | undefined, footprint: readonly string[]): string[] {
  if (fields === undefined || fields.length === 0) return [...footprint];
  return footprint.filter((f) => fields.some((d) => fieldMeets(d, f)));
}
