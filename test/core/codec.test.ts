/**
 * Registry reads go through js-yaml for speed; they must mean exactly what
 * `yaml` (which the rest of the project uses) reads.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { parseYamlText, encodeYaml } from '../../src/core/codec.js';
import { versionSchema } from '../../src/core/model.js';
import { PROJECT_ROOT } from '../helpers/cli.js';

const TRICKY = ['1.0', '1.10', 'true', 'True', 'yes', 'no', 'off', 'null', '~', '', ' ', '0x10', '0o17', '017', '1e3', '.inf', '-.Inf', '.nan', '2026-01-01', '2026-01-01T00:00:00Z', '12:30', 'a: b', '- x', '# not a comment', '&anchor', '*alias', '!tag', '|', '>', '"quoted"', "it's", 'multi\nline\ntext', 'tab\there', 'ünïcödé ✓', '@drew', '%percent', '`tick`', '{a: 1}', '[1, 2]', 'x'.repeat(300)];

describe('parseYamlText', () => {
  it('reads every compat vector exactly as yaml does', () => {
    const dir = path.join(PROJECT_ROOT, 'fixtures', 'compat');
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(100);
    for (const f of files) {
      const text = readFileSync(path.join(dir, f), 'utf8');
      expect(parseYamlText(f, text), f).toEqual(parse(text));
    }
  });

  it('reads tricky scalars written by the registry emitter back unchanged', () => {
    const value = {
      asset: 'users',
      version: '1.0.0',
      schema: { type: 'object', properties: Object.fromEntries(TRICKY.map((t, i) => [`c${i}`, { type: 'string', description: t, enum: [t], default: t }])) },
      guarantees: TRICKY.map((t) => ({ kind: 'accepted_values', column: t, values: [t, 1, 1.5, true, null] })),
      compatibility_mode: 'backward',
      content_model: 'closed',
      published_by: 'a@b.c',
      published_at: '2026-01-01T00:00:00Z',
    };
    const text = encodeYaml('v.yaml', versionSchema, value as never);
    expect(parseYamlText('v.yaml', text)).toEqual(parse(text));
    expect(parseYamlText('v.yaml', text)).toEqual(versionSchema.parse(value));
    // And text written by plain yaml.stringify (a hand edit with another tool).
    const other = stringify(value);
    expect(parseYamlText('o.yaml', other)).toEqual(parse(other));
  });

  it('still caps aliases (billion laughs) and refuses duplicate keys, naming the file', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 8; i++) lines.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`);
    expect(() => parseYamlText('bomb.yaml', lines.join('\n'))).toThrow(/registry file bomb\.yaml is not valid YAML/);
    expect(() => parseYamlText('dup.yaml', 'id: a\nid: b\n')).toThrow(/registry file dup\.yaml is not valid YAML/);
    expect(() => parseYamlText('bad.yaml', 'format: [1\n')).toThrow(/registry file bad\.yaml is not valid YAML/);
  });
});
