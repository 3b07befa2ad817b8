/**
 * schemas/events/*.schema.json: the committed files are what the generator
 * makes from src/core/notify/payloads.ts now, every notified type has one,
 * the payloads the webhook format builds (and a receiver gets) validate, and
 * broken payloads do not.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../src/core/events.js';
import { EVENT_DATA } from '../../src/core/notify/payloads.js';
import { webhookPayload } from '../../src/core/notify/webhook.js';
import { transports } from '../../src/notify/transports.js';
import { EVENT_SCHEMA_DIR, generateEventSchemas } from '../../scripts/gen-event-schemas.mjs';
import { channel, EVENTS, SECRET } from './fixtures.js';
import { receiver } from './receiver.js';

const ajv = new Ajv({ allErrors: true, strict: true });
const validators = new Map<string, ValidateFunction>();
for (const f of readdirSync(EVENT_SCHEMA_DIR)) validators.set(f.replace(/\.schema\.json$/, ''), ajv.compile(JSON.parse(readFileSync(path.join(EVENT_SCHEMA_DIR, f), 'utf8'))));
const check = (type: string, value: unknown) => {
  const v = validators.get(type);
  if (!v) throw new Error(`no schema for ${type}`);
  return { ok: v(value) as boolean, errors: ajv.errorsText(v.errors) };
};

describe('event JSON Schemas', () => {
  it('the committed schemas are what the generator makes now (run npm run schemas after changing payloads.ts)', async () => {
    const generated = (await generateEventSchemas()) as Map<string, string>;
    expect(readdirSync(EVENT_SCHEMA_DIR).sort()).toEqual([...generated.keys()].map((t) => `${t}.schema.json`).sort());
    for (const [type, text] of generated) expect(readFileSync(path.join(EVENT_SCHEMA_DIR, `${type}.schema.json`), 'utf8') === text, `schemas/events/${type}.schema.json is stale`).toBe(true);
  });

  it('every notified type is a domain event type, and the fixtures cover them all', () => {
    for (const t of Object.keys(EVENT_DATA)) expect(EVENT_TYPES as readonly string[]).toContain(t);
    expect(Object.keys(EVENTS).sort()).toEqual(Object.keys(EVENT_DATA).sort());
  });

  it.each(Object.keys(EVENTS))('a %s payload validates against its schema', (type) => {
    expect(check(type, webhookPayload(EVENTS[type]!))).toEqual({ ok: true, errors: 'No errors' });
  });

  it('the body a real receiver got validates', async () => {
    const r = await receiver([200]);
    try {
      const ch = channel('webhook', { url_env: 'U', secret_env: 'S' });
      expect((await transports.webhook.send(ch, EVENTS['proposal.acked']!, { U: r.url, S: SECRET }, 5000)).ok).toBe(true);
      expect(check('proposal.acked', JSON.parse(r.received[0]!.body)).ok).toBe(true);
    } finally {
      await r.close();
    }
  });

  it('a field added later does not fail a receiver that validates (data is open)', () => {
    const p = webhookPayload({ ...EVENTS['proposal.merged']!, data: { ...EVENTS['proposal.merged']!.data, merged_by_pull_request: 42 } });
    expect(check('proposal.merged', p).ok).toBe(true);
  });

  const created = () => webhookPayload(EVENTS['proposal.created']!) as unknown as { type: string; timestamp: string; data: Record<string, unknown> } & Record<string, unknown>;
  it.each([
    ['data without its id', (p: ReturnType<typeof created>) => void delete p.data['id'], /must have required property 'id'/],
    ['another schema_version', (p: ReturnType<typeof created>) => void (p.data['schema_version'] = 'tessera.event/v2'), /must be equal to constant/],
    ['a proposal without its changes', (p: ReturnType<typeof created>) => void delete p.data['changes'], /must have required property 'changes'/],
    ['pending as a string', (p: ReturnType<typeof created>) => void (p.data['pending'] = 'growth'), /data\/pending must be array/],
    ['a change without its rule id', (p: ReturnType<typeof created>) => void delete (p.data['changes'] as Array<Record<string, unknown>>)[0]!['rule'], /must have required property 'rule'/],
    ['the wrong type', (p: ReturnType<typeof created>) => void (p.type = 'proposal.merged'), /must be equal to constant/],
    ['an unknown envelope key', (p: ReturnType<typeof created>) => void (p['extra'] = 1), /must NOT have additional properties/],
  ])('%s fails', (_n, breakIt, message) => {
    const p = created();
    breakIt(p);
    const r = check('proposal.created', p);
    expect(r.ok).toBe(false);
    expect(r.errors).toMatch(message);
  });
});
