// Times one peer library in a worker thread, so the orchestrating bench can
// stop it when it runs away (json-schema-diff takes minutes on wide tables).
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { timeTool } from './diff-timing.mjs';

const require = createRequire(import.meta.url);
const { tool, cases } = workerData;
let fn;
if (tool === 'json-schema-diff') {
  const jsd = require('json-schema-diff');
  fn = (c) => jsd.diffSchemas({ sourceSchema: c.old, destinationSchema: c.new });
} else {
  const validator = require('json-schema-diff-validator');
  // It throws on every breaking pair: that is its verdict, counted in `failures`.
  fn = (c) => validator.validateSchemaCompatibility(c.old, c.new);
}
const result = await timeTool(fn, cases, (pass) => parentPort.postMessage({ pass }));
parentPort.postMessage({ result });
