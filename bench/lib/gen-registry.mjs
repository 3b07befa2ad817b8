// Generates a realistic Tessera registry with one `git fast-import`: the
// tessera.yaml `tessera init` writes, teams, and N assets each with asset.yaml,
// versions/1.0.0.yaml (a 10-30 column JSON Schema with guarantees) and 0-3
// consumer registrations. YAML is written with the product's stringify options;
// a sample of every kind is read back and validated against dist's zod schemas.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { rng } from './rng.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = (p) => path.join(root, 'dist', p);

const TEAM_NAMES = [
  'core-data', 'growth', 'finance', 'marketing', 'sales-ops', 'product-analytics', 'risk', 'payments', 'logistics', 'support',
  'ml-platform', 'search', 'ads', 'identity', 'billing', 'catalog', 'pricing', 'fraud', 'hr-analytics', 'security',
];
const DOMAINS = ['analytics', 'finance', 'marketing', 'sales', 'ops', 'product', 'risk', 'payments', 'logistics', 'support'];
const ENTITIES = ['users', 'orders', 'sessions', 'events', 'invoices', 'payments', 'shipments', 'tickets', 'accounts', 'products', 'campaigns', 'refunds'];
const KINDS = ['model', 'model', 'model', 'source', 'snapshot', 'seed'];
const COLUMN_KINDS = [
  { type: 'integer' },
  { type: 'string' },
  { type: 'string', format: 'date-time' },
  { type: ['string', 'null'], maxLength: 255 },
  { type: 'number' },
  { type: 'boolean' },
  { type: 'string', format: 'date' },
  { type: 'string', enum: ['new', 'active', 'suspended', 'closed'] },
  { type: ['integer', 'null'] },
  { type: 'string', format: 'email' },
];
const WORDS = ['amount', 'status', 'country', 'channel', 'source', 'region', 'score', 'count', 'total', 'plan', 'tier', 'flag', 'rate', 'label', 'code', 'name', 'city', 'device', 'currency', 'segment'];

// The product's serialisation (src/core/codec.ts encodeYaml).
const yaml = (value) => stringify(value, { lineWidth: 0, aliasDuplicateObjects: false, sortMapEntries: false });


export const teamMember = (team, k = 0) => `${team.replace(/-/g, '.')}.${k}@acme.example`;

export function teamNames(n = 20) {
  return TEAM_NAMES.slice(0, n);
}

export function assetIdOf(i) {
  return `${DOMAINS[i % DOMAINS.length]}.${ENTITIES[Math.floor(i / DOMAINS.length) % ENTITIES.length]}_${String(i).padStart(5, '0')}`;
}

/** The v1 JSON Schema of asset i (also what the bench extends for a compatible publish). */
export function schemaOf(i) {
  const r = rng(i * 7919 + 1);
  const n = 10 + Math.floor(r() * 21); // 10..30 columns
  const properties = { id: { type: 'integer', description: 'primary key' } };
  const required = ['id'];
  for (let c = 1; c < n; c++) {
    const name = `${WORDS[Math.floor(r() * WORDS.length)]}_${c}`;
    properties[name] = { ...structuredClone(COLUMN_KINDS[Math.floor(r() * COLUMN_KINDS.length)]), description: `the ${name.replace('_', ' ')} of the row` };
    if (r() < 0.4) required.push(name);
  }
  properties.updated_at = { type: 'string', format: 'date-time', description: 'last change' };
  required.push('updated_at');
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties, required, additionalProperties: false };
}

/** Build the file map of a registry: path -> YAML text. */
export async function registryFiles({ assets = 10_000, teams = 20 } = {}) {
  const { initialConfigYaml } = await import(dist('registry/init.js'));
  const at = '2026-01-15T09:00:00Z';
  const names = teamNames(teams);
  const files = new Map();
  files.set('tessera.yaml', initialConfigYaml());
  for (const t of names) {
    files.set(`teams/${t}.yaml`, yaml({ name: t, members: [0, 1, 2].map((k) => teamMember(t, k)), contact: `#${t}`, created_by: teamMember(t), created_at: at }));
  }
  const r = rng(42);
  for (let i = 0; i < assets; i++) {
    const id = assetIdOf(i);
    const owner = names[i % names.length];
    const schema = schemaOf(i);
    const asset = {
      id,
      owner,
      kind: KINDS[i % KINDS.length],
      description: `${id.split('.')[1].replace(/_\d+$/, '')} of the ${id.split('.')[0]} domain, one row per ${ENTITIES[i % ENTITIES.length].replace(/s$/, '')}`,
      tags: [id.split('.')[0], i % 3 === 0 ? 'pii' : 'internal'],
      origin: { system: 'dbt', unique_id: `model.warehouse.${id.replace('.', '_')}`, package: 'warehouse' },
      current_version: '1.0.0',
    };
    files.set(`assets/${id}/asset.yaml`, yaml(asset));
    const guarantees = [
      { kind: 'not_null', column: 'id', source: `test.warehouse.not_null_${id.replace('.', '_')}_id` },
      { kind: 'unique', column: 'id', source: `test.warehouse.unique_${id.replace('.', '_')}_id` },
    ];
    files.set(
      `assets/${id}/versions/1.0.0.yaml`,
      yaml({ asset: id, version: '1.0.0', schema, guarantees, compatibility_mode: 'backward', content_model: 'closed', published_by: teamMember(owner), published_at: at, changes: [], via: 'direct' }),
    );
    const nConsumers = Math.floor(r() * 4); // 0..3
    const taken = new Set([owner]);
    for (let k = 0; k < nConsumers; k++) {
      const team = names[Math.floor(r() * names.length)];
      if (taken.has(team)) continue;
      taken.add(team);
      files.set(
        `assets/${id}/consumers/${team}.yaml`,
        yaml({ team, asset: id, purpose: `${team} dashboards`, fields: Object.keys(schema.properties).slice(0, 3), registered_by: teamMember(team), registered_at: at, acks: [] }),
      );
    }
  }
  return files;
}

/** Parse a sample of the files back and validate them with the product's zod schemas; throws on the first failure. */
export async function validateSample(files, every = 97) {
  const m = await import(dist('core/model.js'));
  const schemaFor = (p) =>
    p === 'tessera.yaml' ? m.registryConfigSchema
      : p.startsWith('teams/') ? m.teamSchema
        : p.endsWith('/asset.yaml') ? m.assetSchema
          : p.includes('/versions/') ? m.versionSchema
            : p.includes('/consumers/') ? m.consumerSchema
              : undefined;
  let i = 0;
  const seen = {};
  for (const [p, text] of files) {
    const schema = schemaFor(p);
    if (!schema) throw new Error(`generated an unknown file kind: ${p}`);
    const kind = p === 'tessera.yaml' ? 'config' : p.startsWith('teams/') ? 'team' : p.split('/')[2] ?? p;
    if (i++ % every !== 0 && seen[kind] && kind !== 'team' && kind !== 'config') continue;
    const r = schema.safeParse(parse(text));
    if (!r.success) throw new Error(`generated ${p} does not validate: ${JSON.stringify(r.error.issues[0])}`);
    seen[kind] = (seen[kind] ?? 0) + 1;
  }
  return seen;
}

/** Run git with optional stdin; resolves stdout, rejects on a non-zero exit. */
export function gitRun(cwd, args, input) {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' } });
    const out = [];
    const err = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out).toString('utf8')) : reject(new Error(`git ${args.join(' ')}: exit ${code}: ${Buffer.concat(err).toString('utf8').slice(0, 400)}`))));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

/** Write the files as one commit on main of a new bare repository. */
export async function writeRegistry(dir, files, { author = 'Registry Bot <bot@acme.example>', when = 1768467600 } = {}) {
  mkdirSync(dir, { recursive: true });
  await gitRun(dir, ['init', '--bare', '--quiet', '--initial-branch=main']);
  const parts = [];
  const msg = 'initialise a generated registry\n\nTessera-Event: registry.initialised\nTessera-Actor: bot@acme.example\n';
  parts.push(Buffer.from(`commit refs/heads/main\nauthor ${author} ${when} +0000\ncommitter ${author} ${when} +0000\ndata ${Buffer.byteLength(msg)}\n${msg}\n`));
  let bytes = 0;
  for (const [p, text] of files) {
    const body = Buffer.from(text, 'utf8');
    bytes += body.length;
    parts.push(Buffer.from(`M 100644 inline ${p}\ndata ${body.length}\n`), body, Buffer.from('\n'));
  }
  parts.push(Buffer.from('\ndone\n'));
  await gitRun(dir, ['fast-import', '--quiet', '--done', '--date-format=raw'], Buffer.concat(parts));
  return { bytes };
}
