/**
 * Issue 17: docs/rules.md covers the Avro rules too, generated from their
 * catalog (id, meaning, verdict per mode, footprint kind); the freshness
 * check (`node scripts/gen-rules-doc.mjs --check`, run by `npm run docs:rules`
 * users and here) fails when either catalog moves.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AVRO_RULES } from '../../src/core/avro/catalog.js';
import { avroVerdictsOf } from '../../src/core/avro/verdicts.js';
import { RULES } from '../../src/core/diff/index.js';
import { renderRulesDoc } from '../../src/cli/render/rules-doc.js';
import { PROJECT_ROOT } from '../helpers/cli.js';

const onDisk = readFileSync(new URL('../../docs/rules.md', import.meta.url), 'utf8');

describe('docs/rules.md, Avro part', () => {
  it('has every Avro rule: a table row with footprint and verdicts, and a section with its meaning', () => {
    const part = onDisk.slice(onDisk.indexOf('\n# Avro rules\n'));
    expect(part.length).toBeGreaterThan(100);
    for (const r of AVRO_RULES) {
      const v = avroVerdictsOf(r);
      const cells = v ? [v.backward, v.forward, v.full, v.consumer] : ['avsc', 'avsc', 'avsc', 'avsc'];
      expect(part).toContain(`| [\`${r.id}\`](#${r.id.replace(/\./g, '')}) | ${r.category} | ${r.footprint} | ${cells.join(' | ')} |`);
      expect(part).toContain(`### ${r.id}\n\n${r.meaning}\n\n- Footprint: **${r.footprint}**\n`);
    }
  });

  it('is stale when an Avro rule changes, and the generator says so', async () => {
    const moved = AVRO_RULES.map((r) => (r.id === 'avro.type-demoted' ? { ...r, footprint: 'table' as const } : r));
    expect(renderRulesDoc(RULES, moved)).not.toBe(onDisk);
    expect(renderRulesDoc(RULES)).toBe(onDisk);
    const { stdout } = await promisify(execFile)(process.execPath, ['scripts/gen-rules-doc.mjs', '--check'], { cwd: PROJECT_ROOT });
    expect(stdout).toContain('docs/rules.md is up to date');
  });
});
