#!/usr/bin/env node
// Writes schemas/events/<type>.schema.json: the JSON Schema (draft-07) of the
// webhook body `tessera notify` sends for each notified event type, generated
// from the zod payloads in src/core/notify/payloads.ts so the schemas say
// what the code sends. Run after the build: `npm run schemas`.
// test/notify/event-schemas.test.ts regenerates them in memory and fails
// when the committed files are stale.
//
// io 'output' and open objects (additionalProperties left unset): a receiver
// validates what it got, and a field added later must not fail it.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const EVENT_SCHEMA_DIR = path.join(ROOT, 'schemas', 'events');
const ID_BASE = 'https://raw.githubusercontent.com/tessera-contracts/tessera/main/schemas/events/';

/** `type -> JSON text` of every event schema, from the built payloads (dist/). */
export async function generateEventSchemas() {
  const { PAYLOAD_DATA, payloadSchema } = await import(pathToFileURL(path.join(ROOT, 'dist/core/notify/payloads.js')).href);
  const { EVENT_JSON_VERSION } = await import(pathToFileURL(path.join(ROOT, 'dist/core/notify/webhook.js')).href);
  const out = new Map();
  for (const type of Object.keys(PAYLOAD_DATA)) {
    const { $schema, ...body } = z.toJSONSchema(payloadSchema(type), { target: 'draft-07', io: 'output' });
    const withMeta = {
      $schema,
      $id: `${ID_BASE}${type}.schema.json`,
      title: `Tessera ${type} webhook payload (${EVENT_JSON_VERSION})`,
      description: `The body of a Standard Webhooks POST for a ${type} event; see docs/notifications.md.`,
      $comment: 'Generated from src/core/notify/payloads.ts by scripts/gen-event-schemas.mjs: regenerate with npm run schemas, do not edit.',
      ...body,
    };
    out.set(type, JSON.stringify(withMeta, null, 2) + '\n');
  }
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  mkdirSync(EVENT_SCHEMA_DIR, { recursive: true });
  const schemas = await generateEventSchemas();
  for (const [type, text] of schemas) writeFileSync(path.join(EVENT_SCHEMA_DIR, `${type}.schema.json`), text);
  console.log(`wrote ${schemas.size} event schemas to ${path.relative(process.cwd(), EVENT_SCHEMA_DIR) || '.'}/`);
}
