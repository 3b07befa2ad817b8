#!/usr/bin/env node
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// A closed pipe (`tessera rules | head`) is not an error: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

// Run the bundled CLI (dist/bundle, built by `npm run build`: faster start-up)
// while every compiled file it was built from is unchanged; otherwise (after a
// plain `tsc` that changed something, or with TESSERA_NO_BUNDLE=1) the modules
// in dist/cli. A file re-emitted with the same content still counts as unchanged.
async function bundleIsFresh() {
  if (process.env.TESSERA_NO_BUNDLE === '1') return false;
  try {
    const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
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

const { main } = (await bundleIsFresh()) ? await import('../dist/bundle/main.js') : await import('../dist/cli/main.js');
process.exitCode = await main(process.argv);
