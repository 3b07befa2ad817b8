// `tessera notify` as a separate process, the built engine with the test
// webhook transport (also standing in for Slack: the engine routes, src/notify/
// formats): argv[2] is the registry, argv[3] an optional timeout in ms.
// Prints the result as JSON; warnings go to stderr as the CLI prints them.
import { withRegistry } from '../../../dist/cli/context.js';
import { notify } from '../../../dist/app/notify.js';
import { webhook } from './webhook-transport.mjs';

const [registry, timeout] = process.argv.slice(2);
const code = await withRegistry({ registry }, async (ctx) => {
  const { result } = await notify(ctx, { transports: { webhook, slack: webhook }, env: process.env, ...(timeout ? { timeoutMs: Number(timeout) } : {}) });
  for (const w of result.warnings) process.stderr.write(`tessera: ${w}\n`);
  process.stdout.write(JSON.stringify(result) + '\n');
  return 0;
}, { writes: true, notifyInline: false }).catch((e) => {
  process.stderr.write(`tessera: ${e.message}\n`);
  return 3;
});
process.exitCode = code;
