/**
 * The registry layout (format 1) and the validation of every name that
 * becomes part of a path or a ref. Hostile ids (`../x`, `.git`, control
 * characters) are refused here, before anything touches git.
 */
import { InputError } from './errors.js';
import { ASSET_ID_MAX, ASSET_ID_PATTERN, KEY_ID_PATTERN, TEAM_MAX, TEAM_PATTERN, VERSION_PATTERN } from './model.js';

export const CONFIG_PATH = 'tessera.yaml';
export const MAIN_BRANCH = 'main';
export const MAIN_REF = `refs/heads/${MAIN_BRANCH}`;

export const teamPath = (team: string) => `teams/${team}.yaml`;
export const assetDir = (asset: string) => `assets/${asset}`;
export const assetPath = (asset: string) => `assets/${asset}/asset.yaml`;
export const versionsDir = (asset: string) => `assets/${asset}/versions`;
export const versionPath = (asset: string, version: string) => `assets/${asset}/versions/${version}.yaml`;
export const consumersDir = (asset: string) => `assets/${asset}/consumers`;
export const consumerPath = (asset: string, team: string) => `assets/${asset}/consumers/${team}.yaml`;
export const KEYS_DIR = 'keys';
export const keyPath = (id: string) => `${KEYS_DIR}/${id}.yaml`;

function describe(s: string): string {
  const shown = JSON.stringify(s.length > 40 ? s.slice(0, 40) + '…' : s);
  return s.length > 40 ? `${shown} (${s.length} characters)` : shown;
}

export function checkAssetId(id: string): string {
  if (id.length === 0) throw new InputError('asset id is empty', 'name the asset, e.g. analytics.users');
  if (id.length > ASSET_ID_MAX) throw new InputError(`asset id ${describe(id)} is longer than ${ASSET_ID_MAX} characters`, 'use a shorter id');
  if (/[\u0000-\u001f\u007f]/.test(id)) throw new InputError(`asset id ${describe(id)} contains control characters`, 'use lower-case letters, digits, ".", "_" and "-"');
  if (!ASSET_ID_PATTERN.test(id) || id.endsWith('.') || id.endsWith('.lock')) {
    throw new InputError(
      `asset id ${describe(id)} is not allowed`,
      'use lower-case letters, digits, "_", "-" and single dots, starting with a letter or digit (e.g. analytics.users)',
    );
  }
  return id;
}

export function checkTeamName(team: string): string {
  if (team.length === 0) throw new InputError('team name is empty', 'name the team, e.g. growth');
  if (team.length > TEAM_MAX || !TEAM_PATTERN.test(team)) {
    throw new InputError(`team name ${describe(team)} is not allowed`, `use lower-case letters, digits, "_" and "-" (at most ${TEAM_MAX})`);
  }
  return team;
}

export function checkKeyId(id: string): string {
  if (!KEY_ID_PATTERN.test(id)) throw new InputError(`key id ${describe(id)} is not a key id`, 'use the 12-character id that tessera key list shows');
  return id;
}

export function checkVersion(version: string): string {
  if (!VERSION_PATTERN.test(version)) throw new InputError(`version ${describe(version)} is not a semantic version`, 'use MAJOR.MINOR.PATCH, e.g. 1.2.0');
  return version;
}

/** Parse `assets/<id>/versions/<v>.yaml` back into its parts. */
export function parseVersionPath(path: string): { asset: string; version: string } | undefined {
  const m = /^assets\/([^/]+)\/versions\/([^/]+)\.yaml$/.exec(path);
  return m ? { asset: m[1]!, version: m[2]! } : undefined;
}
