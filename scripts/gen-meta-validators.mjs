#!/usr/bin/env node
// Precompiles the meta-schema validators (draft-04, -06, -07, 2019-09, 2020-12) with
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
const standaloneCode = require('ajv/dist/standalone').default;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'meta');
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

// The same meta-schemas and options as the run-time path (dist/core/schema/meta-sources.js, which
// tsc has just built and which documents where each meta-schema comes from), so both report the same errors.
const { compileMeta } = await import('../dist/core/schema/meta-sources.js');
for (const kind of ['04', '06', '07', '2019', '2020']) {
  // CommonJS (it requires ajv's small runtime helpers): the bundled CLI loads it with require().
  const { ajv, validate } = compileMeta(kind, { source: true, esm: false });
  writeFileSync(path.join(outdir, `validate-${kind}.cjs`), standaloneCode(ajv, validate));
}
