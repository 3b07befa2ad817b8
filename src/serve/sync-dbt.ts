/**
 * `POST /api/v1/sync/dbt`: a manifest upload through the same use case as
 * `tessera sync-dbt` (prepareSyncDbt, then syncDbt), answered with the same
 * document as `tessera sync-dbt --json` (app/sync-dbt/report.ts builds it
 * for both). A bad manifest is the CLI's one-line InputError (400), raised
 * before the registry is touched.
 */
import { z } from 'zod';
import type { AppContext } from '../app/context.js';
import { prepareSyncDbt, syncDbt } from '../app/sync-dbt.js';
import { FAIL_ON, syncJson, syncReport } from '../app/sync-dbt/report.js';
import type { KeyPrincipal } from '../core/keys.js';
import { json, type Reply } from '../http/reply.js';

/** Manifests run to tens of megabytes: this route has its own body limit (--max-manifest-body). */
export const DEFAULT_MAX_MANIFEST_BODY = 128 * 1024 * 1024;

export const syncDbtBody = z
  .object({
    manifest: z.union([z.string(), z.record(z.string(), z.unknown())], { message: 'is required: the manifest.json object, or its text' }),
    dry_run: z.boolean().optional(),
    fail_on: z.enum(FAIL_ON).optional(),
    owner_default: z.string().max(200).optional(),
    select: z.array(z.string().max(500)).max(1000).optional(),
    // The name the report and its errors give the manifest; one line, as every message is.
    file: z.string().regex(/^[^\r\n]{1,200}$/, 'must be one line of 1 to 200 characters').optional(),
  })
  .loose();

export const syncDbtSchema = {
  type: 'object',
  required: ['manifest'],
  properties: {
    manifest: { oneOf: [{ type: 'object' }, { type: 'string' }], description: "dbt's target/manifest.json: the object, or the file's text" },
    dry_run: { type: 'boolean' },
    fail_on: { type: 'string', enum: [...FAIL_ON] },
    owner_default: { type: 'string', description: "owner team of assets the manifest gives no owner (default: the key's team)" },
    select: { type: 'array', items: { type: 'string' } },
    file: { type: 'string', description: 'the name the report gives the manifest (default manifest.json)' },
  },
};

export async function syncDbtRoute(b: z.infer<typeof syncDbtBody>, ctx: AppContext, principal: KeyPrincipal): Promise<Reply> {
  const file = b.file ?? 'manifest.json';
  const dryRun = Boolean(b.dry_run);
  const failOn = b.fail_on ?? 'breaking';
  // The app reads bytes, as from the file; an object is written back as JSON (its own fingerprint, so its own caches).
  const bytes = Buffer.from(typeof b.manifest === 'string' ? b.manifest : JSON.stringify(b.manifest), 'utf8');
  const prepared = prepareSyncDbt({
    file,
    bytes,
    ownerDefault: b.owner_default ?? principal.team,
    select: b.select ?? [],
    dryRun,
    // The no-change memo answers a CLI's repeated run in CI; a server's uploads are planned (the plan cache still applies).
    memo: false,
    planCache: true,
    cacheDir: ctx.repo.gitDir,
    tesseraVersion: '',
  });
  const { result } = await syncDbt(ctx, prepared);
  return json(syncJson(syncReport(result, file, dryRun, failOn)));
}
