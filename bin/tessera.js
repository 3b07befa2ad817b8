#!/usr/bin/env node
import { readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';

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
function bundleIsFresh() {
  if (process.env.TESSERA_NO_BUNDLE === '1') return false;
  try {
    const root = new URL('../', import.meta.url);
    const { built, files } = JSON.parse(readFileSync(new URL('dist/bundle/inputs.json', root), 'utf8'));
    for (const [p, [size, sha1]] of Object.entries(files)) {
      const url = new URL(p, root);
      const st = statSync(url);
      if (st.mtimeMs <= built) continue;
      if (st.size !== size || createHash('sha1').update(readFileSync(url)).digest('hex') !== sha1) return false;
    }
    return true;
  } catch {
    return false;
  }
}

const { main } = bundleIsFresh() ? await import('../dist/bundle/main.js') : await import('../dist/cli/main.js');
process.exitCode = await main(process.argv);
