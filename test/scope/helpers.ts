/** The registry of issue 16's example: core owns users; growth reads user_id, email; finance user_id, amount; ops everything. */
import { expect } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gitIn, machine, tempDir, writeJson, type Machine } from '../helpers/machines.js';

export const COLS = { user_id: { type: 'integer' }, email: { type: 'string' }, amount: { type: 'number' }, created_at: { type: 'string' } };
export const V1 = { type: 'object', properties: COLS, required: ['user_id', 'email'], additionalProperties: false };

/** V1 without one column (and extra columns changed). */
export function without(col: string, extra: Record<string, unknown> = {}) {
  const props: Record<string, unknown> = { ...COLS, ...extra };
  delete props[col];
  return { ...V1, properties: props, required: V1.required.filter((r) => r !== col) };
}

export const as = (email: string) => ({ GIT_AUTHOR_NAME: email, GIT_AUTHOR_EMAIL: email, GIT_COMMITTER_NAME: email, GIT_COMMITTER_EMAIL: email });

export async function ok(m: Machine, args: string[]): Promise<any> {
  const r = await m.run([...args, '--json']);
  expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout);
}

export interface ScopeRegistry {
  root: string;
  registry: string;
  pat: Machine;
  gus: Machine;
  fin: Machine;
  ops: Machine;
  /** Publish a schema for users (a file in root). */
  publish(name: string, schema: unknown, more?: string[]): Promise<any>;
}

/** `config` edits tessera.yaml (by hand, as an admin would) before anything else happens. */
export async function scopeRegistry(config?: (text: string) => string): Promise<ScopeRegistry> {
  const root = tempDir();
  const registry = path.join(root, 'registry.git');
  const env = { TESSERA_REGISTRY: registry };
  const pat = machine(root, 'pat', 'pat@acme.com', env);
  const gus = machine(root, 'gus', 'gus@acme.com', env);
  const fin = machine(root, 'fin', 'fin@acme.com', env);
  const ops = machine(root, 'oli', 'oli@acme.com', env);
  expect((await pat.run(['init', registry])).exitCode).toBe(0);
  if (config) {
    const work = path.join(root, 'config-work');
    await gitIn(root, ['clone', '-q', registry, work]);
    const file = path.join(work, 'tessera.yaml');
    writeFileSync(file, config(readFileSync(file, 'utf8')));
    await gitIn(work, ['commit', '-qam', 'edit tessera.yaml'], as('pat@acme.com'));
    await gitIn(work, ['push', '-q', 'origin', 'HEAD:main']);
  }
  await ok(pat, ['team', 'add', 'core', '--member', 'pat@acme.com']);
  await ok(gus, ['team', 'add', 'growth', '--member', 'gus@acme.com']);
  await ok(fin, ['team', 'add', 'finance', '--member', 'fin@acme.com']);
  await ok(ops, ['team', 'add', 'ops', '--member', 'oli@acme.com']);
  await ok(pat, ['publish', 'users', writeJson(root, 'v1.json', V1), '--owner', 'core']);
  await ok(gus, ['consume', 'users', '--team', 'growth', '--fields', 'user_id,email']);
  await ok(fin, ['consume', 'users', '--team', 'finance', '--fields', 'user_id,amount']);
  await ok(ops, ['consume', 'users', '--team', 'ops']);
  return { root, registry, pat, gus, fin, ops, publish: (name, schema, more = []) => ok(pat, ['publish', 'users', writeJson(root, name, schema), ...more]) };
}
