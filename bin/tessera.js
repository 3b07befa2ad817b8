#!/usr/bin/env node
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

// A closed pipe (`tessera rules | head`) is not an error: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const BUNDLE = path.join(root, 'dist', 'bundle', 'tessera.cjs');

// Run the bundled CLI (dist/bundle, built by `npm run build`: faster start-up)
// while every compiled file it was built from is unchanged; otherwise (after a
// plain `tsc` that changed something, or with TESSERA_NO_BUNDLE=1) the modules
// in dist/cli. A file re-emitted with the same content still counts as unchanged.
async function bundleIsFresh() {
  if (process.env.TESSERA_NO_BUNDLE === '1') return false;
  try {
    const { built, files } = JSON.parse(readFileSync(path.join(root, 'dist/bundle/inputs.json'), 'utf8'));
    const touched = [];
    for (const [p, [size, sha1]] of Object.entries(files)) {
      const file = path.join(root, p);
      const st = statSync(file);
      if (st.mtimeMs <= built) continue;
      if (st.size !== size) return false;
      touched.push([file, sha1]);
    }
    if (touched.length === 0) return true;
    // Only a re-emitted file costs a hash (and the crypto import).
    const { createHash } = await import('node:crypto');
    return touched.every(([file, sha1]) => createHash('sha1').update(readFileSync(file)).digest('hex') === sha1);
  } catch {
    return false;
  }
}

/**
 * V8's code cache for the bundle, one file per command (each compiles
 * different functions), under ~/.cache/tessera/v8: a run with a cache skips
 * parsing and compiling what the command runs (~60-70 ms of a 0.25 s
 * command). Keyed by Node's version and the bundle's size and mtime, so a new
 * build or Node never uses an old cache; V8 itself rejects a cache that does
 * not match, and a rejected or missing one is written again after the run.
 * Only a speed-up: any failure to read or write it is ignored.
 * TESSERA_CODE_CACHE=0 turns it off.
 */
function codeCache(argv, bundleStat) {
  if (process.env.TESSERA_CODE_CACHE === '0') return undefined;
  // The command is the first word that is not an option or the value of --registry (the one global option with a value).
  const args = argv.slice(2);
  const command = args.find((a, i) => !a.startsWith('-') && args[i - 1] !== '--registry') ?? 'none';
  if (!/^[a-z][a-z0-9-]{0,30}$/.test(command)) return undefined;
  const dir = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'tessera', 'v8');
  const build = `${process.version}-${process.arch}-${bundleStat.size}-${Math.floor(bundleStat.mtimeMs)}`.replace(/[^a-zA-Z0-9.-]/g, '_');
  const file = path.join(dir, `${build}--${command}.bin`);
  let data;
  try {
    data = readFileSync(file);
  } catch {
    // none yet
  }
  return {
    data,
    save(script) {
      if (data && !script.cachedDataRejected) return;
      // A dry run promises to write nothing, this cache included.
      if (args.includes('--dry-run')) return;
      try {
        mkdirSync(dir, { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, file);
        // Caches of older builds or Node versions are never read again.
        for (const f of readdirSync(dir)) if (!f.startsWith(`${build}--`) && !f.endsWith('.tmp')) unlinkSync(path.join(dir, f));
      } catch {
        // A read-only or full disk only costs the speed-up.
      }
    },
  };
}

async function runBundle(argv) {
  const source = readFileSync(BUNDLE, 'utf8');
  const cache = codeCache(argv, statSync(BUNDLE));
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: BUNDLE,
    ...(cache?.data ? { cachedData: cache.data } : {}),
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(BUNDLE), module, BUNDLE, path.dirname(BUNDLE));
  const code = await module.exports.main(argv);
  cache?.save(script);
  return code;
}

process.exitCode = (await bundleIsFresh()) ? await runBundle(process.argv) : await (await import('../dist/cli/main.js')).main(process.argv);
