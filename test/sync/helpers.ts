/** Shared by the sync-dbt tests: fresh registries, registry file reads through git, plan summaries. */
import path from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { expect } from 'vitest';
import { machine, type Machine } from '../helpers/machines.js';
import type { DbtPlan } from '../../src/dbt/plan.js';

export interface Reg {
  registry: string;
  ci: Machine;
}

/** A fresh local registry and the CI identity that syncs into it. */
export async function freshRegistry(root: string, name = 'registry.git'): Promise<Reg> {
  const registry = path.join(root, name);
  const ci = machine(root, `ci-${name}`, 'ci-bot@acme.com', { TESSERA_REGISTRY: registry });
  const r = await ci.run(['init', registry]);
  expect(r.exitCode, r.stderr).toBe(0);
  return { registry, ci };
}

export async function runJson(m: Machine, args: string[], code = 0): Promise<any> {
  const r = await m.run([...args, '--json']);
  expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(code);
  return JSON.parse(r.stdout);
}

/** Every file under `prefix` on main, parsed, read with one `git cat-file --batch`. */
export async function registryFiles(gitDir: string, prefix = 'assets/', ref = 'refs/heads/main'): Promise<Map<string, any>> {
  const ls = await execa('git', ['ls-tree', '-r', '--name-only', ref, '--', prefix], { cwd: gitDir });
  const paths = ls.stdout.split('\n').filter(Boolean);
  const out = new Map<string, any>();
  if (paths.length === 0) return out;
  const r = await execa('git', ['cat-file', '--batch'], { cwd: gitDir, input: paths.map((p) => `${ref}:${p}`).join('\n') + '\n', encoding: 'buffer' });
  const buf = Buffer.from(r.stdout as Uint8Array);
  let at = 0;
  for (const p of paths) {
    const nl = buf.indexOf(10, at);
    const header = buf.subarray(at, nl).toString();
    const size = Number(header.split(' ')[2]);
    out.set(p, parse(buf.subarray(nl + 1, nl + 1 + size).toString('utf8')));
    at = nl + 1 + size + 1;
  }
  return out;
}

export interface Counts {
  assets: number;
  typed: number;
  guarantees: number;
  owners: Record<string, number>;
  consumers: number;
}

/** What the plan promises, in the shape the registry is counted in. */
export function planCounts(plan: DbtPlan): Counts {
  const owners: Record<string, number> = {};
  let typed = 0, guarantees = 0, consumers = 0;
  for (const a of plan.assets) {
    typed += a.columns.typed;
    guarantees += a.guarantees.length;
    consumers += a.consumers.length;
    if (a.owner) owners[a.owner] = (owners[a.owner] ?? 0) + 1;
  }
  return { assets: plan.assets.length, typed, guarantees, owners, consumers };
}

/** The same numbers counted from the registry's files (current version of each asset). */
export function registryCounts(files: Map<string, any>): Counts {
  const owners: Record<string, number> = {};
  let assets = 0, typed = 0, guarantees = 0, consumers = 0;
  for (const [p, v] of files) {
    const parts = p.split('/');
    if (parts[2] === 'asset.yaml') {
      assets++;
      owners[v.owner] = (owners[v.owner] ?? 0) + 1;
      const version = files.get(`assets/${parts[1]}/versions/${v.current_version}.yaml`);
      guarantees += version.guarantees.length;
      for (const prop of Object.values(version.schema.properties ?? {}) as Array<Record<string, unknown>>) if (isTyped(prop)) typed++;
    } else if (parts[2] === 'consumers') consumers++;
  }
  return { assets, typed, guarantees, owners, consumers };
}

/** A property carries a warehouse type when it says more than description/enum (untyped and unknown columns are `{}`). */
function isTyped(p: Record<string, unknown>): boolean {
  return Object.keys(p).some((k) => k !== 'description' && k !== 'enum');
}
