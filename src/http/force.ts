/**
 * Force-publishing an open proposal: its own contract, published over the
 * missing acks with the reason recorded, as `tessera publish --force` of that
 * contract. Shared by the API (`POST /proposals/{id}/force`) and the team UI.
 */
import type { AppContext, Outcome } from '../app/context.js';
import { publish, type PublishResult } from '../app/publish.js';
import type { JsonSchema } from '../core/diff/index.js';
import type { PublishRequest as ContractRequest } from '../core/publish.js';
import { MAIN_REF } from '../core/paths.js';
import { requireOpenProposal } from '../registry/proposals.js';

export async function forceProposal(ctx: AppContext, id: string, reason: string): Promise<Outcome<PublishResult>> {
  const open = await requireOpenProposal(ctx.repo, await ctx.repo.snapshot(MAIN_REF, ['proposals']), id);
  const v = open.version;
  const contract: ContractRequest = { asset: v.asset, schema: v.schema as JsonSchema, ...(v.format === 'avro' ? { avro: v.avro } : {}), guarantees: v.guarantees, mode: v.compatibility_mode, contentModel: v.content_model, version: v.version };
  return publish(ctx, { contract, force: true, reason });
}
