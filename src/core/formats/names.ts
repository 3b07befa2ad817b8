/** The export formats, alone in a module so `tessera --help` loads no exporter. */
export const EXPORT_FORMATS = ['odcs', 'jsonschema', 'avro', 'dbt-yml'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
