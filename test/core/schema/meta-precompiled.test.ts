/**
 * The build precompiles the meta-schema validators (dist/meta/); they must
 * judge exactly as run-time ajv does. `npm test` builds first.
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { PROJECT_ROOT } from '../../helpers/cli.js';
import { compileMeta } from '../../../src/core/schema/meta-sources.js';

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
  { enum: [] },
  { enum: ['a', 'a'] },
  { writeOnly: 'yes' },
  { required: 'a' },
  { dependentRequired: { a: ['b', 'b'] } },
  true,
  false,
  'nope',
];

describe('precompiled meta-schema validators', () => {
  const targets = ['04', '06', '07', '2019', '2020'] as const;
  for (const name of targets) {
    it(`draft ${name} agrees with run-time ajv, errors included`, () => {
      const file = path.join(PROJECT_ROOT, 'dist', 'meta', `validate-${name}.cjs`);
      expect(existsSync(file), `${file} is missing: run npm run build`).toBe(true);
      const pre = (require(file) as { default: (v: unknown) => boolean }).default as ((v: unknown) => boolean) & { errors?: unknown };
      const runtime = compileMeta(name).validate;
      for (const sample of SAMPLES) {
        const a = pre(sample);
        const b = runtime(sample);
        expect(a, JSON.stringify(sample)).toBe(b);
        expect(pre.errors ?? null).toEqual(runtime.errors ?? null);
      }
    });
  }
});
