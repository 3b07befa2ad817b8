/**
 * Typed reads of registry files from a snapshot. Each function reads only
 * what it needs, so commands about one asset never parse the whole registry.
 */
import { InputError } from '../core/errors.js';
import { NoRegistryError } from './locate.js';
import {
  assetSchema,
  consumerSchema,
  registryConfigSchema,
  teamSchema,
  versionSchema,
  type Asset,
  type Consumer,
  type RegistryConfig,
  type Team,
  type Version,
} from '../core/model.js';
import { CONFIG_PATH, assetPath, consumersDir, teamPath, versionPath, versionsDir } from '../core/paths.js';
import { sortVersions } from '../core/semver.js';
import type { Snapshot } from './snapshot.js';

export async function readConfig(snap: Snapshot): Promise<RegistryConfig> {
  const c = await snap.read(CONFIG_PATH, registryConfigSchema);
  if (!c) throw new NoRegistryError(`the registry has no ${CONFIG_PATH}`);
  return c;
}

export async function readTeam(snap: Snapshot, team: string): Promise<Team | undefined> {
  return snap.read(teamPath(team), teamSchema);
}

export async function requireTeam(snap: Snapshot, team: string): Promise<Team> {
  const t = await readTeam(snap, team);
  if (!t) throw new InputError(`unknown team '${team}'`, `create it with: tessera team add ${team} --member <email>`);
  return t;
}

export async function readAllTeams(snap: Snapshot): Promise<Team[]> {
  return snap.readMany(snap.list('teams').filter((p) => p.endsWith('.yaml')), teamSchema);
}

export async function readAsset(snap: Snapshot, id: string): Promise<Asset | undefined> {
  return snap.read(assetPath(id), assetSchema);
}

export async function requireAsset(snap: Snapshot, id: string): Promise<Asset> {
  const a = await readAsset(snap, id);
  if (!a) throw new InputError(`unknown asset '${id}'`, 'see `tessera list` for the registered assets', 'not_found');
  return a;
}

export function versionNumbers(snap: Snapshot, id: string): string[] {
  const out: string[] = [];
  for (const p of snap.list(versionsDir(id))) {
    const m = /\/versions\/(\d+\.\d+\.\d+)\.yaml$/.exec(p);
    if (m) out.push(m[1]!);
  }
  return sortVersions(out);
}

export async function readVersion(snap: Snapshot, id: string, version: string): Promise<Version | undefined> {
  return snap.read(versionPath(id, version), versionSchema);
}

export async function requireVersion(snap: Snapshot, id: string, version: string): Promise<Version> {
  const v = await readVersion(snap, id, version);
  if (!v) throw new InputError(`asset '${id}' has no version ${version}`, `see: tessera versions ${id}`, 'not_found');
  return v;
}

export async function readConsumers(snap: Snapshot, id: string): Promise<Consumer[]> {
  return snap.readMany(snap.list(consumersDir(id)).filter((p) => p.endsWith('.yaml')), consumerSchema);
}
