/**
 * The `consumer` check: a warehouse table's readers are old queries run over
 * new rows, and they select columns by name. So the values they see must
 * stay within what the old contract promised (the forward question), with
 * two exceptions that forward gets wrong for such readers:
 *
 * - a column that disappears breaks every query that selects it, even when
 *   it was optional (forward calls that compatible: "absent" was allowed);
 * - a column that appears is never selected by an old query, so nothing
 *   about it can break one (forward calls it breaking in a closed model).
 *
 * This applies at every object level: a struct field is selected by name too.
 */

/** Rules that report, old -> new, a property that went away. */
const PROPERTY_REMOVED = new Set([
  'PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL',
  'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL',
  'PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  'PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  // PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL is not here: a
  // property whose schema was `false` never held a value, so no query read it.
]);

/** Rules that report, old -> new, a property that appeared. */
const PROPERTY_ADDED = new Set([
  'PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL',
  'OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
  'REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
  'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL',
  'REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL',
  'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL',
  'OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL',
  'PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
]);

export function dropsProperty(rule: string): boolean {
  return PROPERTY_REMOVED.has(rule);
}

export function addsProperty(rule: string): boolean {
  return PROPERTY_ADDED.has(rule);
}

interface Row {
  rule: string;
  path: string;
  /** The change breaks the forward question (old readers of new data). */
  forward: boolean;
}

/**
 * Per row, whether it breaks a by-name reader. `rows` are old -> new changes
 * with their forward verdicts already attached.
 */
export function consumerVerdicts(rows: readonly Row[]): boolean[] {
  const added = new Set(rows.filter((r) => addsProperty(r.rule)).map((r) => r.path));
  // A path is under an added property when it or one of its prefixes is one (linear in the path, not in the row count).
  const underAdded = (path: string): boolean => {
    if (added.size === 0) return false;
    if (added.has(path)) return true;
    for (let i = path.indexOf('/', 1); i > 0; i = path.indexOf('/', i + 1)) if (added.has(path.slice(0, i))) return true;
    return false;
  };
  return rows.map((r) => {
    if (dropsProperty(r.rule)) return true;
    if (underAdded(r.path)) return false;
    return r.forward;
  });
}
