/** The pure renderers, with reports built by hand (no engine, no process). */
import { describe, expect, it } from 'vitest';
import { diffToJson, renderDiffGithub, renderDiffMarkdown, renderDiffText, type DiffRenderContext } from '../../src/cli/render/diff.js';
import { closest } from '../../src/cli/render/suggest.js';
import type { CompatibilityReport } from '../../src/core/diff/types.js';

const report: CompatibilityReport = {
  mode: 'full',
  compatible: false,
  bump: 'major',
  hints: ['looks like a rename of a to b'],
  changes: [
    { rule: 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL', path: '/properties/a|b', message: 'removed\nfor real: 100%', breaking: true, breaks: ['backward', 'forward'] },
    { rule: 'DESCRIPTION_CHANGED', path: '/properties/`x`', message: 'description changed', breaking: false },
  ],
};
const ctx: DiffRenderContext = {
  options: { mode: 'full', contentModel: 'closed', policy: 'strict', profile: 'tessera' },
  oldSource: 'old.json',
  newSource: 'dir,1/new:1.json',
  newFile: 'dir,1/new:1.json',
  categoryOf: (id) => (id === 'DESCRIPTION_CHANGED' ? 'annotation' : 'object'),
};

describe('diff renderers', () => {
  it('text: marks, aligned rule ids, direction qualifiers for full, verdict last', () => {
    const lines = renderDiffText(report, ctx);
    expect(lines[0]).toBe('✖ PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL  /properties/a|b  removed\\nfor real: 100% [breaks backward and forward]');
    expect(lines[1]).toBe('· DESCRIPTION_CHANGED                         /properties/`x`  description changed');
    expect(lines[2]).toBe('hint: looks like a rename of a to b');
    expect(lines.at(-1)).toBe('breaking under full (closed content model, strict policy): 1 breaking change, 0 compatible changes, 1 annotation; suggested bump: major');
  });

  it('github: escaped properties and data, one line per command', () => {
    const lines = renderDiffGithub(report, ctx);
    expect(lines[0]).toBe('::error file=dir%2C1/new%3A1.json,title=PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL::/properties/a|b: removed%0Afor real: 100%25 [breaks backward and forward]');
    expect(lines[1]).toMatch(/^::notice file=dir%2C1\/new%3A1\.json,title=DESCRIPTION_CHANGED::/);
    for (const l of lines) expect(l).not.toContain('\n');
  });

  it('markdown: pipes, backticks and line breaks cannot break the table', () => {
    const lines = renderDiffMarkdown(report, ctx);
    const row = lines.find((l) => l.startsWith('| ✖ breaking'));
    expect(row).toBe('| ✖ breaking | `PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL` | `/properties/a\\|b` | removed for real: 100% \\[breaks backward and forward\\] |');
    expect(lines.find((l) => l.startsWith('| · annotation'))).toContain('`` /properties/`x` ``');
  });

  it('json: kinds and counts', () => {
    const j = diffToJson(report, ctx);
    expect(j.summary).toEqual({ breaking: 1, compatible: 0, annotation: 1 });
    expect(j.changes.map((c) => c.kind)).toEqual(['breaking', 'annotation']);
    expect(j.changes[0]?.breaks).toEqual(['backward', 'forward']);
  });
});

describe('closest', () => {
  const ids = ['TYPE_NARROWED', 'TYPE_EXTENDED', 'PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL', 'PATTERN_PROPERTY_REMOVED'];
  it('prefers a prefix, then a substring, then a small typo', () => {
    expect(closest('PROPERTY_REMOVED', ids)).toBe('PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL');
    expect(closest('NARROWED', ids)).toBe('TYPE_NARROWED');
    expect(closest('TYPE_NAROWED', ids)).toBe('TYPE_NARROWED');
    expect(closest('SOMETHING_ELSE_ENTIRELY', ids)).toBeUndefined();
  });
});
