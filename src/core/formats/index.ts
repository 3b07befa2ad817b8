/**
 * Contract formats other than Tessera's own: ODCS in and out, OpenAPI in,
 * JSON Schema, Avro and dbt YAML out. Pure: the CLI reads files (the official
 * ODCS schema included) and passes values. docs/formats.md.
 */
import { stringify } from 'yaml';
import type { Asset, Version } from '../model.js';
import { guaranteeKey } from '../guarantees.js';
import { exportAvro } from './avro-export.js';
import { exportDbt } from './dbt-export.js';
import { exportOdcs } from './odcs-export.js';
import type { Exported } from './common.js';

export { groupLost, type Exported } from './common.js';
export { exportOdcs } from './odcs-export.js';
export { mapOdcs, ODCS_KEY, type OdcsMapping, type OdcsObject, type ChannelOffer } from './odcs-import.js';
export { isOdcsDocument, odcsErrors, odcsReleaseOf, odcsSchemaFile, validateOdcs, ODCS_CURRENT, ODCS_SCHEMA_RELEASES, type OdcsSchemaRelease, type SchemaLoader } from './odcs-validate.js';

import type { ExportFormat } from './names.js';

export { EXPORT_FORMATS, type ExportFormat } from './names.js';

/** The contract's JSON Schema as published; guarantees have no place in it. */
function exportJsonSchema(_asset: Asset, version: Version): Exported<unknown> {
  return { value: version.schema, lost: version.guarantees.map((g) => `guarantee ${guaranteeKey(g)} (JSON Schema has no data-quality guarantees)`) };
}

const EXPORTERS: Record<ExportFormat, (asset: Asset, version: Version) => Exported<unknown>> = {
  odcs: exportOdcs,
  jsonschema: exportJsonSchema,
  avro: exportAvro,
  'dbt-yml': exportDbt,
};

/** The document as text: YAML for ODCS and dbt, JSON for JSON Schema and Avro (.avsc). */
export function exportContract(format: ExportFormat, asset: Asset, version: Version): Exported<unknown> & { text: string } {
  const out = EXPORTERS[format](asset, version);
  // YAML 1.1 quoting: ODCS and dbt files are read by Python tools (PyYAML), where an unquoted 2022-08-02 is a date and `on` a boolean.
  const text = format === 'odcs' || format === 'dbt-yml' ? stringify(out.value, { lineWidth: 0, aliasDuplicateObjects: false, version: '1.1' }) : JSON.stringify(out.value, null, 2) + '\n';
  return { ...out, text };
}
export { importOpenApi, isOpenApiDocument, type OpenApiImport, type OpenApiSchema } from './openapi.js';
