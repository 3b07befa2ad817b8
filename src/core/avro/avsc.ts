/**
 * The one place that talks to avsc. Its resolver (`reader.createResolver(writer)`)
 * is the Avro specification's schema-resolution algorithm; Tessera's Avro
 * verdicts are its answers, and the rules in ./catalog.ts only name them.
 */
import avscTypes from 'avsc/lib/types.js';
import type { Type } from 'avsc';

export type AvroType = Type;

/**
 * Unions stay wrapped so that any two branches may coexist (avsc's unwrapped
 * unions refuse, e.g., two records); registry keeps named types per parse.
 */
export function avroTypeOf(schema: unknown, registry: Record<string, AvroType> = {}): AvroType {
  return avscTypes.Type.forSchema(schema as never, { wrapUnions: true, registry });
}

/** undefined when `reader` can read all data written with `writer`, else avsc's reason. */
export function unreadable(reader: AvroType, writer: AvroType): string | undefined {
  try {
    // The specification compares named types by their unqualified names ("both schemas
    // have the same (unqualified) name"), as Java's SchemaCompatibility and Confluent do;
    // avsc's default is the full name. A fresh object each time: avsc caches record
    // resolvers by name in `opts.registry`.
    reader.createResolver(writer, { ignoreNamespaces: true });
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
