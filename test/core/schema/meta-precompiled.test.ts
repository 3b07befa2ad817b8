/**
 * The build precompiles the meta-schema validators (dist/meta/); they must
 * judge exactly as run-time ajv does. `npm test` builds first.
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { PROJECT_ROOT } from '../../helpers/cli.js';

const require = createRequire(import.meta.url);

const SAMPLES: unknown[] = [
  { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
  { type: 'object', properties: { a: { type: 12 } } },
  { minLength: -1 },
  { type: ['string', 'null'], maxLength: 10, format: 'date-time' },
  { items: [{ type: 'string' }], additionalItems: false },
  { prefixItems: [{ type: 'string' }], items: false, unevaluatedProperties: false },
  { $defs: { node: { type: 'object', properties: { next: { $ref: '#/$defs/node' } } } }, $ref: '#/$defs/node' },
  { enum: 'not-an-array' },
  { required: 'a' },
  { dependentRequired: { a: ['b', 'b'] } },
  true,
  false,
  'nope',
];

describe('precompiled meta-schema validators', () => {
  const targets = [
    ['07', () => new (require('ajv').Ajv)({ strict: false, allErrors: true }), 'http://json-schema.org/draft-07/schema'],
    ['2019', () => new (require('ajv/dist/2019').Ajv2019)({ strict: false, allErrors: true }), 'https://json-schema.org/draft/2019-09/schema'],
    ['2020', () => new (require('ajv/dist/2020').Ajv2020)({ strict: false, allErrors: true }), 'https://json-schema.org/draft/2020-12/schema'],
  ] as const;
  for (const [name, make, id] of targets) {
    it(`draft ${name} agrees with run-time ajv, errors included`, () => {
      const file = path.join(PROJECT_ROOT, 'dist', 'meta', `validate-${name}.cjs`);
      expect(existsSync(file), `${file} is missing: run npm run build`).toBe(true);
      const pre = (require(file) as { default: (v: unknown) => boolean }).default as ((v: unknown) => boolean) & { errors?: unknown };
      const runtime = make().getSchema(id)!;
      for (const sample of SAMPLES) {
        const a = pre(sample);
        const b = runtime(sample);
        expect(a, JSON.stringify(sample)).toBe(b);
        expect(pre.errors ?? null).toEqual(runtime.errors ?? null);
      }
    });
  }
});
