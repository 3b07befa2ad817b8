/** Judging an Avro contract against an asset's published versions (for planPublish). Pure. */
import type { CompatibilityReport, Mode } from '../diff/types.js';
import { InputError } from '../errors.js';
import type { Version } from '../model.js';
import { checkAvroCompatibility } from './check.js';
import { loadAvroValue } from './load.js';

/** Whether this publish is judged by the Avro rules: an Avro schema, or an asset whose latest version is one. */
export function isAvroPublish(req: { avro?: unknown }, versions: readonly Version[]): boolean {
  return req.avro !== undefined || versions.at(-1)?.format === 'avro';
}

export function checkAvroHistory(asset: string, versions: readonly Version[], avro: unknown, mode: Mode): CompatibilityReport {
  if (avro === undefined) {
    throw new InputError(`asset '${asset}' is an Avro contract: its versions are judged by Avro's resolution rules`, 'publish an Avro schema (.avsc) for it');
  }
  // Transitive modes judge every earlier version; the others only the latest.
  const judged = mode.endsWith('_transitive') ? versions : versions.slice(-1);
  const foreign = judged.find((v) => v.format !== 'avro' || v.avro === undefined);
  if (foreign) {
    throw new InputError(`asset '${asset}' ${foreign.version} is a JSON Schema contract; an Avro schema cannot be judged against it`, 'publish the Avro contract as a new asset, or keep publishing JSON Schema for this one');
  }
  const history = judged.map((v) => loadAvroValue(v.avro, `${asset}@${v.version}`));
  return checkAvroCompatibility(history, loadAvroValue(avro, asset), mode);
}
