#!/usr/bin/env node
// Writes schemas/<name>.schema.json: a JSON Schema (draft-07, what the YAML
// language server validates) for every file kind of a registry, generated
// from the zod models that Tessera itself reads and writes them with
// (src/core/model.ts, src/core/quality.ts), so an editor checks a hand edit
// the way Tessera will. Run after the build: `npm run schemas`.
// test/core/json-schemas.test.ts regenerates them in memory and fails when
// the committed files are stale.
//
// Choices:
// - io 'input': what a person may write, so a key with a default
//   (tessera.yaml's defaults and policy, a team's members) is optional.
// - Objects are closed (additionalProperties: false). zod drops an unknown
//   key silently; in a hand edit it is almost always a typo, so the editor
//   flags it.
// - Refinements have no JSON Schema form; the one on asset ids (no trailing
//   "." or ".lock") is written out by hand below.
// - Field descriptions come from docs/registry-format.md (its field tables,
//   and the comments of its YAML examples), so hover text is the documentation.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseDocument, visit, isPair } from 'yaml';
import { z } from 'zod';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SCHEMA_DIR = path.join(ROOT, 'schemas');
const ID_BASE = 'https://raw.githubusercontent.com/tessera-contracts/tessera/main/schemas/';

/**
 * Every YAML file kind Tessera writes into a registry (README.md and the
 * allowed-signers file are not YAML): tessera.yaml (registry/init.ts,
 * core/set-mode.ts), teams (core/team.ts), asset and version files
 * (core/publish.ts, sync.ts, set-mode.ts, proposal.ts), consumer files
 * (core/consume.ts, the ack flow), proposal records (core/proposal.ts),
 * quality files (record-results). `glob` is relative to the registry root.
 */
export const FILE_KINDS = [
  { name: 'tessera', schema: 'registryConfigSchema', glob: 'tessera.yaml', title: 'Tessera registry settings (tessera.yaml)', description: 'Format, defaults for new assets, and policy of a Tessera registry. Every key but format has a default.', doc: { yamlAfter: '## `tessera.yaml`' } },
  { name: 'team', schema: 'teamSchema', glob: 'teams/*.yaml', title: 'Tessera team (teams/<team>.yaml)', description: 'A team and its members (git author emails). The name must equal the file name.', doc: { table: '## `teams/<team>.yaml`' } },
  { name: 'asset', schema: 'assetSchema', glob: 'assets/*/asset.yaml', title: 'Tessera asset (assets/<asset>/asset.yaml)', description: 'An asset: owner team, kind, current version and per-asset settings. The id must equal the directory name.', doc: { table: '## `assets/<asset>/asset.yaml`' } },
  { name: 'version', schema: 'versionSchema', glob: 'assets/*/versions/*.yaml', title: 'Tessera contract version (assets/<asset>/versions/<x.y.z>.yaml)', description: 'One published version of a contract: schema, guarantees, the mode it was judged under and how it went live. Immutable once on main.', doc: { table: '## `assets/<asset>/versions/<x.y.z>.yaml`' } },
  { name: 'consumer', schema: 'consumerSchema', glob: 'assets/*/consumers/*.yaml', title: 'Tessera consumer registration (assets/<asset>/consumers/<team>.yaml)', description: "A team's registration as a consumer of an asset, with every acknowledgment it gave. The team must equal the file name.", doc: { table: '## `assets/<asset>/consumers/<team>.yaml`' } },
  { name: 'proposal', schema: 'proposalSchema', glob: 'proposals/*.yaml', title: 'Tessera proposal (proposals/<id>.yaml)', description: 'A proposed breaking change: on its proposal branch while open, on main once closed.', doc: { table: '## `proposals/<id>.yaml`' } },
  { name: 'channel', schema: 'channelSchema', glob: 'channels/*.yaml', title: 'Tessera notification channel (channels/<name>.yaml)', description: 'Where notifications for some teams go: the names of the environment variables holding the URL and secret, never their values. The name must equal the file name.', doc: { table: '## `channels/<name>.yaml`' } },
  { name: 'asset-quality', schema: 'assetQualitySchema', glob: 'assets/*/quality.yaml', title: 'Tessera latest data-quality results (assets/<asset>/quality.yaml)', description: 'The latest result of each data-quality check of an asset, written by tessera record-results.', doc: { yamlAfter: '`assets/<asset>/quality.yaml`' } },
  { name: 'quality-run', schema: 'qualityRunSchema', glob: 'quality/runs/*.yaml', title: 'Tessera data-quality run (quality/runs/<invocation-id>.yaml)', description: 'Every data-quality event of one dbt invocation, written once by tessera record-results.', doc: { yamlAfter: '`quality/runs/<invocation_id>.yaml`' } },
  { name: 'key', schema: 'keySchema', glob: 'keys/*.yaml', title: 'Tessera API key (keys/<id>.yaml)', description: 'An API key of a team for tessera serve: its scope, expiry, revocation and a salted scrypt hash of the secret (never the secret). The id must equal the file name.', doc: { table: '## `keys/<id>.yaml`' } },
];

/** The file kind of a path inside a registry, by the kinds' globs (`*` is one path segment). */
export function fileKindFor(registryPath) {
  return FILE_KINDS.find((k) => new RegExp(`^${k.glob.replace(/[.]/g, '\\.').replace(/\*/g, '[^/]+')}$`).test(registryPath));
}

/** `field -> text` from the table under `heading`: rows like "| `a`, `b` | meaning |". */
function tableDescriptions(doc, heading) {
  const out = new Map();
  const start = doc.split('\n').findIndex((l) => l.trim() === heading);
  if (start < 0) return out;
  for (const line of doc.split('\n').slice(start + 1)) {
    if (line.startsWith('#')) break;
    const m = /^\|\s*(`[^|]*?)\s*\|\s*(.*?)\s*\|\s*$/.exec(line.replace(/\\\|/g, '\u0000'));
    if (!m) continue;
    const text = m[2].replace(/\u0000/g, '|');
    for (const f of m[1].matchAll(/`([a-z_]+)`/g)) out.set(f[1], text);
  }
  return out;
}

/** `dotted.path -> comment` from the first ```yaml block after the line starting with `marker` (arrays are transparent). */
function yamlExampleDescriptions(doc, marker) {
  const out = new Map();
  const lines = doc.split('\n');
  const start = lines.findIndex((l) => l.startsWith(marker));
  if (start < 0) return out;
  const open = lines.findIndex((l, i) => i > start && l.trim() === '```yaml');
  const close = lines.findIndex((l, i) => i > open && l.trim() === '```');
  if (open < 0 || close < 0) return out;
  visit(parseDocument(lines.slice(open + 1, close).join('\n')), {
    Pair(_, pair, ancestors) {
      const keys = [...ancestors.filter(isPair).map((p) => String(p.key?.value)), String(pair.key?.value)];
      const comment = pair.value?.comment?.trim();
      if (comment) out.set(keys.join('.'), comment);
    },
  });
  return out;
}

/** Put each description on the property it names, walking properties and array items. */
function describeFields(schema, descriptions, prefix = '') {
  if (!schema || typeof schema !== 'object') return;
  if (schema.items) describeFields(schema.items, descriptions, prefix);
  for (const branch of schema.anyOf ?? []) describeFields(branch, descriptions, prefix);
  for (const [key, sub] of Object.entries(schema.properties ?? {})) {
    const dotted = prefix + key;
    // Table rows name top-level fields only; example comments name dotted paths.
    const text = descriptions.get(dotted) ?? (prefix === '' ? descriptions.get(key) : undefined);
    if (text && sub.description === undefined) sub.description = text;
    describeFields(sub, descriptions, dotted + '.');
  }
}

/** `name -> JSON text` of every schema, from the built models (dist/) and the docs as they are now. */
export async function generateSchemas() {
  const models = { ...(await import(pathToFileURL(path.join(ROOT, 'dist/core/model.js')).href)), ...(await import(pathToFileURL(path.join(ROOT, 'dist/core/quality.js')).href)) };
  const doc = readFileSync(path.join(ROOT, 'docs/registry-format.md'), 'utf8');
  const out = new Map();
  for (const kind of FILE_KINDS) {
    const zodSchema = models[kind.schema];
    if (!zodSchema) throw new Error(`src/core has no export ${kind.schema} (for schemas/${kind.name}.schema.json)`);
    const json = z.toJSONSchema(zodSchema, {
      target: 'draft-07',
      io: 'input',
      override: ({ zodSchema: s, jsonSchema }) => {
        if (s === models.assetId) jsonSchema.not = { pattern: '(\\.|\\.lock)$' };
        if (s._zod.def.type === 'object' && jsonSchema.additionalProperties === undefined) jsonSchema.additionalProperties = false;
      },
    });
    const descriptions = kind.doc.table ? tableDescriptions(doc, kind.doc.table) : yamlExampleDescriptions(doc, kind.doc.yamlAfter);
    describeFields(json, descriptions);
    const { $schema, ...body } = json;
    const withMeta = {
      $schema,
      $id: `${ID_BASE}${kind.name}.schema.json`,
      title: kind.title,
      description: kind.description,
      $comment: `Generated from src/core (zod schema ${kind.schema}) by scripts/gen-json-schemas.mjs: regenerate with npm run schemas, do not edit. Applies to ${kind.glob} in a Tessera registry.`,
      ...body,
    };
    out.set(kind.name, JSON.stringify(withMeta, null, 2) + '\n');
  }
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  mkdirSync(SCHEMA_DIR, { recursive: true });
  for (const [name, text] of await generateSchemas()) writeFileSync(path.join(SCHEMA_DIR, `${name}.schema.json`), text);
  console.log(`wrote ${FILE_KINDS.length} schemas to ${path.relative(process.cwd(), SCHEMA_DIR) || '.'}/`);
}
