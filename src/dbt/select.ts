/**
 * `--select` globs for sync-dbt. A glob matches an asset when it matches its
 * asset id, its dbt unique_id or `package:name`; `*` is any run of characters,
 * `?` one character; matching ignores case (asset ids are lower-case anyway).
 */

export type Matcher = (names: readonly string[]) => boolean;

export function globMatcher(globs: readonly string[] | undefined): Matcher | undefined {
  const patterns = (globs ?? []).map((g) => g.trim()).filter((g) => g !== '');
  if (patterns.length === 0) return undefined;
  const regexes = patterns.map(globToRegExp);
  return (names) => names.some((n) => regexes.some((r) => r.test(n)));
}

export function globToRegExp(glob: string): RegExp {
  let src = '';
  for (const ch of glob) {
    if (ch === '*') src += '.*';
    else if (ch === '?') src += '.';
    else src += ch.replace(/[\\^$.+()|{}[\]]/g, '\\$&');
  }
  return new RegExp(`^${src}$`, 'i');
}
