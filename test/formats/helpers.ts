/** What the format tests share: a registry with teams, refusals that must leave it as it was, the official ODCS validator. */
import { expect } from 'vitest';
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { machine, refState, tempDir, type Machine } from '../helpers/machines.js';

export interface Setup {
  root: string;
  registry: string;
  ana: Machine;
  /** Write a file under root: a string as it is, anything else as YAML. */
  write(name: string, value: unknown): string;
  /** One line on stderr matching `pattern`, exit 2, every ref of the registry as it was. */
  expectRefused(args: string[], pattern: RegExp): Promise<void>;
}

export async function registryWithTeams(prefix: string, teams: string[]): Promise<Setup> {
  const root = tempDir(prefix);
  const registry = path.join(root, 'registry.git');
  const ana = machine(root, 'ana', 'ana@acme.com', { TESSERA_REGISTRY: registry });
  expect((await ana.run(['init', registry])).exitCode).toBe(0);
  for (const t of teams) expect((await ana.run(['team', 'add', t, '--member', 'ana@acme.com'])).exitCode).toBe(0);
  return {
    root,
    registry,
    ana,
    write(name, value) {
      const p = path.join(root, name);
      writeFileSync(p, typeof value === 'string' ? value : stringify(value));
      return p;
    },
    async expectRefused(args, pattern) {
      const before = await refState(registry);
      const r = await ana.run(args);
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
      expect(r.stdout).toBe('');
      expect(await refState(registry)).toBe(before);
    },
  };
}

const require = createRequire(import.meta.url);

/** The ODCS JSON Schema at `file`, compiled the way upstream's CI does (ajv draft 2019-09 with ajv-formats), independent of Tessera's validation. */
export function officialOdcsValidator(file: string): (doc: unknown) => string | undefined {
  const Ajv2019 = require('ajv/dist/2019').default;
  const formats = require('ajv-formats');
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  (formats.default ?? formats)(ajv);
  const v = ajv.compile(JSON.parse(readFileSync(file, 'utf8')));
  return (doc) => (v(doc) ? undefined : ajv.errorsText(v.errors));
}

/** A YAML document whose aliases expand to 9^5 strings: `head` lines, then the bomb, then `tail`. */
export function aliasBomb(head: string[], tail: string[]): string {
  const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (const [name, prev] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd']]) levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
  return [...head, ...levels, ...tail, ''].join('\n');
}

/** An ODCS document without what Tessera writes anew: the standard's version, the contract version (Tessera's), v3.0's `rule` (now `metric`), a team it added. */
export function comparableOdcs(doc: Record<string, unknown>, hadTeam: boolean): Record<string, unknown> {
  const { apiVersion: _a, version: _v, ...rest } = doc;
  if (!hadTeam) delete rest.team;
  return JSON.parse(JSON.stringify(rest), (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) && typeof v.rule === 'string' && v.metric === undefined ? (({ rule, ...r }) => ({ metric: rule, ...r }))(v) : v));
}
