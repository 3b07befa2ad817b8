import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/core/diff/index.js';
import { renderRulesDoc } from '../../src/cli/render/rules-doc.js';

describe('docs/rules.md', () => {
  it('matches the rule catalog', () => {
    const onDisk = readFileSync(new URL('../../docs/rules.md', import.meta.url), 'utf8');
    const generated = renderRulesDoc(RULES);
    if (onDisk !== generated) {
      throw new Error('docs/rules.md is out of date with the rule catalog: run `npm run docs:rules` and commit the result');
    }
    for (const r of RULES) expect(onDisk).toContain(`### ${r.id}\n`);
  });
});
