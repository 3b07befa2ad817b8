#!/usr/bin/env node
// Precompiles the draft-07, 2019-09 and 2020-12 meta-schema validators with
// ajv's standalone code generation into dist/meta/. Loading ajv and compiling
// a meta-schema at run time costs ~160 ms per command; loading the generated
// module (CommonJS, loaded with require()) costs ~8 ms.
// src/core/schema/meta-schema.ts falls back to run-time ajv when these files
// are absent (e.g. when tests import src/ directly).
import { createRequire } from 'node:module';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { Ajv } = require('ajv');
const { Ajv2019 } = require('ajv/dist/2019');
const { Ajv2020 } = require('ajv/dist/2020');
const standaloneCode = require('ajv/dist/standalone').default;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'meta');
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

// Same options as the run-time path in meta-schema.ts, so both report the same errors.
const targets = [
  ['07', Ajv, 'http://json-schema.org/draft-07/schema'],
  ['2019', Ajv2019, 'https://json-schema.org/draft/2019-09/schema'],
  ['2020', Ajv2020, 'https://json-schema.org/draft/2020-12/schema'],
];
for (const [name, AjvClass, id] of targets) {
  // CommonJS (it requires ajv's small runtime helpers): the bundled CLI loads it with require().
  const ajv = new AjvClass({ strict: false, allErrors: true, code: { source: true, esm: false } });
  const validate = ajv.getSchema(id);
  if (!validate) throw new Error(`ajv has no meta-schema ${id}`);
  writeFileSync(path.join(outdir, `validate-${name}.cjs`), standaloneCode(ajv, validate));
}
