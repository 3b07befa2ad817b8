#!/usr/bin/env node
// Bundles the compiled CLI (dist/cli/main.js, from tsc) into ONE CommonJS file,
// dist/bundle/tessera.cjs, that bin/tessera.js runs through a V8 code cache:
// start-up then skips parsing and compiling what a command runs (Node 20 has
// no compile cache for ES modules). Commands stay lazy: each dynamic import()
// becomes a function that initialises its modules on first call, so
// `tessera --help` still never runs the diff engine, git code or the UI.
// Measured (docs/architecture.md, "Start-up"): `tessera list` on a small
// registry 0.31 -> 0.18 s median, with the cache against without.
//
// bin/tessera.js runs the bundle only while every compiled input recorded in
// dist/bundle/inputs.json is unchanged (same mtime, or same size and sha1 after
// a `tsc` that re-emitted it); otherwise it runs dist/cli/main.js, so a stale
// bundle never runs.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'bundle');
rmSync(outdir, { recursive: true, force: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: ['dist/cli/main.js'],
  outfile: 'dist/bundle/tessera.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  metafile: true,
  // ajv stays a real module: its CommonJS exports (module.exports = class, plus named
  // copies) do not survive esbuild's interop ("Ajv is not a constructor"). It is only
  // loaded, lazily, when a schema is read.
  // node-sql-parser (CommonJS, large) stays a real module too: only sync-dbt's lineage loads it.
  external: ['ajv', 'ajv/*', 'node-sql-parser'],
  logLevel: 'warning',
  // Our modules use import.meta.url to find files beside the build (dist/meta, the build's own stat).
  define: { 'import.meta.url': '__tesseraModuleUrl' },
  banner: { js: "const __tesseraModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
});

// Every compiled file of ours that went into the bundle, with its size and sha1: bin/tessera.js checks them.
const built = Date.now();
const files = {};
for (const p of Object.keys(result.metafile.inputs).filter((f) => f.startsWith('dist/'))) {
  const body = readFileSync(path.join(root, p));
  files[p] = [body.length, createHash('sha1').update(body).digest('hex')];
}
writeFileSync(path.join(outdir, 'inputs.json'), JSON.stringify({ built, files }) + '\n');
