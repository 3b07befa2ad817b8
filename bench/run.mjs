#!/usr/bin/env node
// Runs every bench/*.bench.mjs in name order, or only those whose name
// contains argv[2] (`npm run bench -- diff`). Each exports `async run()` and
// prints its own table. Needs a build (npm run bench builds first).
import { readdirSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs') && f.includes(filter))
  .sort();

if (files.length === 0) {
  console.error(`no benchmark matches "${filter}" (have: ${readdirSync(here).filter((f) => f.endsWith('.bench.mjs')).join(', ')})`);
  process.exit(2);
}

const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
console.log(`machine: ${os.availableParallelism()} cpus (${cpu}), node ${process.version}, ${os.platform()} ${os.release()}, ${new Date().toISOString().slice(0, 10)}`);
for (const f of files) {
  console.log(`\n## ${f}\n`);
  const mod = await import(pathToFileURL(path.join(here, f)).href);
  await mod.run();
}
