#!/usr/bin/env node
// Writes docs/rules.md from the rule catalog in dist/ (run `npm run docs:rules`,
// which builds first). `--check` exits 1 instead of writing when the file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const target = `${root}docs/rules.md`;
const { RULES } = await import('../dist/core/diff/index.js');
const { AVRO_RULES } = await import('../dist/core/avro/index.js');
const { renderRulesDoc } = await import('../dist/cli/render/rules-doc.js');

const text = renderRulesDoc(RULES, AVRO_RULES);
const counted = `${RULES.length} rules, ${AVRO_RULES.length} Avro rules`;
let current = '';
try {
  current = readFileSync(target, 'utf8');
} catch {
  // absent: written below
}
if (process.argv.includes('--check')) {
  if (current !== text) {
    console.error('docs/rules.md is out of date: run npm run docs:rules');
    process.exit(1);
  }
  console.log('docs/rules.md is up to date');
} else if (current === text) {
  console.log(`docs/rules.md unchanged (${counted})`);
} else {
  writeFileSync(target, text);
  console.log(`wrote docs/rules.md (${counted})`);
}
