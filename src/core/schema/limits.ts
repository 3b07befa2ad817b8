/**
 * Input limits. Schemas come from files, stdin and other teams' registries,
 * so every reader refuses inputs that would make parsing or diffing
 * pathologically slow before doing that work.
 */

/** Largest schema document accepted, in bytes (a 2,000-column table is about 150 kB). */
export const MAX_SCHEMA_BYTES = 5 * 1024 * 1024;

/** Deepest nesting of JSON objects/arrays accepted (30 levels of `properties` is 61). */
export const MAX_NESTING_DEPTH = 64;

/** YAML aliases expanded per document: far above real use, far below a "billion laughs". */
export const MAX_YAML_ALIASES = 100;

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${n} bytes`;
}
