/** Markdown escaping for GitHub-flavoured tables and inline code. */

/** A table cell: pipes would end the cell, line breaks would end the row. */
export function mdCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/([*_<>[\]])/g, '\\$1');
}

/** Inline code that survives backticks and pipes in the value (inside a table). */
export function mdCode(s: string): string {
  const flat = s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  let longest = 0;
  for (const m of flat.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
