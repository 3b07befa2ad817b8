#!/usr/bin/env node
// Bundles the compiled CLI (dist/cli/main.js, from tsc) into dist/bundle/:
// one entry plus one chunk per lazily imported command, so start-up reads a
// handful of files instead of ~150 modules, while `tessera --help` still never
// loads the diff engine, git code or the UI (each command stays a dynamic
// import). Measured on a 10,000-asset registry: `tessera show` 1.2 s -> 0.8 s
// on a loaded 2-core machine (docs/bench/registry.md).
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
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  metafile: true,
  // ajv stays a real module: its CommonJS exports (module.exports = class, plus named
  // copies) do not survive esbuild's interop ("Ajv is not a constructor"). It is only
  // loaded, lazily, when a schema is read.
  external: ['ajv', 'ajv/*'],
  logLevel: 'warning',
  // CommonJS dependencies (commander, yaml, ajv) call require() for node built-ins.
  banner: { js: "import { createRequire as __tesseraRequire } from 'node:module'; const require = __tesseraRequire(import.meta.url);" },
});

// Every compiled file of ours that went into the bundle, with its size and sha1: bin/tessera.js checks them.
const built = Date.now();
const files = {};
for (const p of Object.keys(result.metafile.inputs).filter((f) => f.startsWith('dist/'))) {
  const body = readFileSync(path.join(root, p));
  files[p] = [body.length, createHash('sha1').update(body).digest('hex')];
}
writeFileSync(path.join(outdir, 'inputs.json'), JSON.stringify({ built, files }) + '\n');
