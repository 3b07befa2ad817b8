/**
 * Planning `tessera set-mode`: move assets (one, several, or every table)
 * to a compatibility mode on purpose. An asset's mode is otherwise the one
 * its latest version was judged under, so editing tessera.yaml never
 * re-judges existing contracts behind anyone's back; this is the one
 * recorded step that does. Pure: values in, files out.
 */
import { parseDocument } from 'yaml';
import type { Mode } from './diff/types.js';
import { encodeYaml, validateValue } from './codec.js';
import { InputError } from './errors.js';
import { assertMember } from './membership.js';
import { assetSchema, registryConfigSchema, TABLE_KINDS, type Asset, type GuaranteeMode, type RegistryConfig, type Team, type Version } from './model.js';
import { assetPath, CONFIG_PATH } from './paths.js';
import { effectiveMode } from './publish.js';
import type { FileWrite } from './plan-types.js';

export interface SetModeRequest {
  mode: Mode;
  /** Asset ids named on the command line. */
  assets: string[];
  /** Every asset of a table kind, and tessera.yaml's default for new tables. */
  tables: boolean;
  guaranteeMode?: GuaranteeMode;
}

export interface SetModeInput {
  config: RegistryConfig;
  /** tessera.yaml as written, so its comments survive the edit. */
  configText: string;
  /** Every asset of the registry, with the latest version of each (undefined when it has none). */
  assets: ReadonlyArray<{ asset: Asset; latest: Version | undefined }>;
  teams: ReadonlyMap<string, Team>;
  actor: string;
}

export interface ModeMove {
  asset: string;
  from: Mode;
  to: Mode;
  guaranteeMode?: { from: GuaranteeMode | undefined; to: GuaranteeMode };
}

export interface SetModePlan {
  moves: ModeMove[];
  /** Assets already at the mode (and guarantee mode) asked for. */
  unchanged: string[];
  /** tessera.yaml's table default before and after, when --tables changed it. */
  tableDefault?: { from: Mode; to: Mode };
  files: FileWrite[];
}

export function planSetMode(req: SetModeRequest, input: SetModeInput): SetModePlan {
  if (!req.tables && req.assets.length === 0) {
    throw new InputError('set-mode needs assets or --tables', 'name the assets (tessera set-mode consumer users orders) or pass --tables for every table asset');
  }
  const byId = new Map(input.assets.map((a) => [a.asset.id, a]));
  const unknown = req.assets.filter((id) => !byId.has(id));
  if (unknown.length > 0) throw new InputError(`unknown asset '${unknown[0]}'`, 'run tessera list to see the asset ids', 'not_found');

  const selected = new Set(req.assets);
  if (req.tables) for (const { asset } of input.assets) if (TABLE_KINDS.includes(asset.kind) && !asset.retired) selected.add(asset.id);

  const moves: ModeMove[] = [];
  const unchanged: string[] = [];
  const files: FileWrite[] = [];
  for (const id of [...selected].sort()) {
    const { asset, latest } = byId.get(id)!;
    const from = effectiveMode(input.config, asset, latest);
    const guaranteeSame = req.guaranteeMode === undefined || asset.guarantee_mode === req.guaranteeMode;
    if (from === req.mode && guaranteeSame) {
      unchanged.push(id);
      continue;
    }
    const team = input.teams.get(asset.owner);
    if (team) assertMember(input.config, team, input.actor, `change the mode of '${id}'`);
    const next: Asset = { ...asset, compatibility_mode: req.mode };
    const move: ModeMove = { asset: id, from, to: req.mode };
    if (req.guaranteeMode !== undefined) {
      next.guarantee_mode = req.guaranteeMode;
      move.guaranteeMode = { from: asset.guarantee_mode, to: req.guaranteeMode };
    }
    files.push({ path: assetPath(id), content: encodeYaml(assetPath(id), assetSchema, next) });
    moves.push(move);
  }

  const plan: SetModePlan = { moves, unchanged, files };
  const doc = parseDocument(input.configText);
  // Written when it differs, and when the file does not say it at all (a registry made before the key existed).
  if (req.tables && (input.config.defaults.table_compatibility_mode !== req.mode || doc.getIn(['defaults', 'table_compatibility_mode']) === undefined)) {
    doc.setIn(['defaults', 'table_compatibility_mode'], req.mode);
    const text = doc.toString({ lineWidth: 0 });
    validateValue(CONFIG_PATH, registryConfigSchema, doc.toJS());
    files.push({ path: CONFIG_PATH, content: text });
    plan.tableDefault = { from: input.config.defaults.table_compatibility_mode, to: req.mode };
  }
  return plan;
}
