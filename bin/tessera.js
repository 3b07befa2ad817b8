#!/usr/bin/env node
// A closed pipe (`tessera rules | head`) is not an error: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv);
