/** A contract to publish from a loaded schema file or body (its schema, guarantees, mode and content model): shared by the API and the team UI. */
import type { LoadedSchema } from '../core/schema/index.js';
import type { PublishRequest as ContractRequest } from '../core/publish.js';

export function contractFromLoaded(asset: string, loaded: Pick<LoadedSchema, 'schema' | 'guarantees' | 'mode' | 'contentModel'>, owner: string): ContractRequest {
  const contract: ContractRequest = { asset, schema: loaded.schema, owner };
  if (loaded.guarantees) contract.guarantees = loaded.guarantees;
  if (loaded.mode) contract.mode = loaded.mode;
  if (loaded.contentModel) contract.contentModel = loaded.contentModel;
  return contract;
}
