/**
 * The Avro rules: every difference the Avro walk names, with a stable id, why
 * it reads or fails to read, and a minimal example. Verdicts are not written
 * here: they are avsc's answers for the example under each mode (./verdicts.ts).
 */
import type { FootprintKind } from '../diff/catalog-types.js';

export interface AvroRuleDefinition {
  /** Stable `avro.<kebab>` id. Never renamed once released. */
  id: string;
  /** field, type, union, enum, name, fixed, annotation. */
  category: string;
  meaning: string;
  /**
   * What a change it finds touches, for scoped acknowledgments
   * (src/core/scope/footprint.ts, AVRO_FOOTPRINT_MEANING): `field`, the
   * top-level field its path lies in; `table`, the record holding the field
   * at its path, as a whole (it pairs fields across names).
   */
  footprint: FootprintKind;
  rationale: string;
  /** A minimal old -> new record pair that produces the rule; absent for the safety net, which no known pair produces. */
  example?: { old: unknown; new: unknown };
}

const FIELD: FootprintKind = 'field';
const TABLE: FootprintKind = 'table';

type Fields = Array<Record<string, unknown>>;
const rec = (fields: Fields, extra: Record<string, unknown> = {}) => ({ type: 'record', name: 'Order', ...extra, fields });
const id = { name: 'id', type: 'long' };
const ex = (old: unknown, next: unknown) => ({ old, new: next });
const status = (symbols: string[], def?: string) => ({ name: 'status', type: { type: 'enum', name: 'Status', symbols, ...(def ? { default: def } : {}) } });

const rules: AvroRuleDefinition[] = [
  {
    id: 'avro.field-added-with-default',
    category: 'field',
    footprint: FIELD,
    meaning: 'a field was added with a default',
    rationale: 'A reader that meets data without the field uses the default, so the new schema reads old data; old readers skip the field they do not know.',
    example: ex(rec([id]), rec([id, { name: 'note', type: 'string', default: '' }])),
  },
  {
    id: 'avro.field-added-without-default',
    category: 'field',
    footprint: FIELD,
    meaning: 'a field was added without a default',
    rationale: 'Data written with the old schema has no value for the field and the new schema has no default to use: resolution fails (breaks backward). Old readers skip it.',
    example: ex(rec([id]), rec([id, { name: 'note', type: 'string' }])),
  },
  {
    id: 'avro.field-removed-with-default',
    category: 'field',
    footprint: FIELD,
    meaning: 'a field that had a default was removed',
    rationale: 'The new schema skips the field in old data; old readers meeting new data fill it with the default they declare.',
    example: ex(rec([id, { name: 'note', type: 'string', default: '' }]), rec([id])),
  },
  {
    id: 'avro.field-removed-without-default',
    category: 'field',
    footprint: FIELD,
    meaning: 'a field without a default was removed',
    rationale: 'Old readers need the field and have no default for data that lacks it (breaks forward); the new schema simply skips it in old data.',
    example: ex(rec([id, { name: 'note', type: 'string' }]), rec([id])),
  },
  {
    id: 'avro.field-renamed-via-alias',
    category: 'field',
    footprint: TABLE,
    meaning: 'a field was renamed, with the old name kept as an alias',
    rationale: 'A reader field matches the writer field of its name or of one of its aliases, so the new schema reads old data. Old readers know no alias for the new name and need a default for the old field (breaks forward without one).',
    example: ex(rec([id, { name: 'email', type: 'string' }]), rec([id, { name: 'email_address', type: 'string', aliases: ['email'] }])),
  },
  {
    id: 'avro.field-alias-ambiguous',
    category: 'field',
    footprint: TABLE,
    meaning: "a field's name and aliases match more than one field of the other schema",
    rationale: 'avsc refuses to choose between two writer fields a reader field could read (ambiguous aliasing).',
    example: ex(rec([{ name: 'a', type: 'string' }, { name: 'b', type: 'string', default: '' }]), rec([{ name: 'a', type: 'string', aliases: ['b'] }])),
  },
  {
    id: 'avro.field-default-changed',
    category: 'field',
    footprint: FIELD,
    meaning: "a field's default was added, removed or changed",
    rationale: 'Between these two schemas the field exists on both sides, so no reader uses the default; it matters against versions without the field (transitive modes judge those pairs).',
    example: ex(rec([id, { name: 'note', type: 'string', default: 'a' }]), rec([id, { name: 'note', type: 'string', default: 'b' }])),
  },
  {
    id: 'avro.field-order-changed',
    category: 'field',
    footprint: TABLE,
    meaning: 'fields were reordered',
    rationale: 'Resolution matches fields by name, not position.',
    example: ex(rec([{ name: 'a', type: 'int' }, { name: 'b', type: 'int' }]), rec([{ name: 'b', type: 'int' }, { name: 'a', type: 'int' }])),
  },
  {
    id: 'avro.type-promoted',
    category: 'type',
    footprint: FIELD,
    meaning: 'a type was promoted (int -> long, float or double; long -> float or double; float -> double; string <-> bytes)',
    rationale: 'The specification lets a reader read these writer types, so the new schema reads old data; old readers cannot read the wider values (breaks forward), except string <-> bytes, which reads both ways.',
    example: ex(rec([{ name: 'qty', type: 'int' }]), rec([{ name: 'qty', type: 'long' }])),
  },
  {
    id: 'avro.type-demoted',
    category: 'type',
    footprint: FIELD,
    meaning: 'a type was narrowed (long -> int, double -> float, ...)',
    rationale: 'No promotion reads a wider writer type into a narrower reader type: the new schema cannot read old data (breaks backward). Old readers still read the narrower values.',
    example: ex(rec([{ name: 'qty', type: 'long' }]), rec([{ name: 'qty', type: 'int' }])),
  },
  {
    id: 'avro.type-changed',
    category: 'type',
    footprint: FIELD,
    meaning: 'a type changed to one that neither reads nor is read by the old one',
    rationale: 'Neither schema resolves against the other at this position: breaks backward and forward.',
    example: ex(rec([{ name: 'qty', type: 'int' }]), rec([{ name: 'qty', type: 'string' }])),
  },
  {
    id: 'avro.logical-type-changed',
    category: 'type',
    footprint: FIELD,
    meaning: 'a logical type was added, removed or changed on the same underlying type',
    rationale: 'Resolution reads the underlying type, which did not change; readers that interpret the logical type may still see different values.',
    example: ex(rec([{ name: 'day', type: 'int' }]), rec([{ name: 'day', type: { type: 'int', logicalType: 'date' } }])),
  },
  {
    id: 'avro.union-branch-added',
    category: 'union',
    footprint: FIELD,
    meaning: 'a union gained a branch (or a plain type became a union)',
    rationale: "The new schema reads every old value through the matching branch. Old readers meet values of the new branch with no branch of their own to read them (breaks forward), unless one of theirs reads it by promotion.",
    example: ex(rec([{ name: 'ref', type: ['null', 'string'], default: null }]), rec([{ name: 'ref', type: ['null', 'string', 'long'], default: null }])),
  },
  {
    id: 'avro.union-branch-removed',
    category: 'union',
    footprint: FIELD,
    meaning: 'a union lost a branch (or became a plain type)',
    rationale: 'Old data written with the removed branch has no branch of the new schema to be read by (breaks backward), unless another branch reads it by promotion. Old readers read every new value.',
    example: ex(rec([{ name: 'ref', type: ['null', 'string', 'long'], default: null }]), rec([{ name: 'ref', type: ['null', 'string'], default: null }])),
  },
  {
    id: 'avro.enum-symbol-added-with-default',
    category: 'enum',
    footprint: FIELD,
    meaning: 'an enum gained a symbol, and the old enum has a default',
    rationale: "Old readers read an unknown symbol as their enum's default, so nothing breaks.",
    example: ex(rec([status(['OPEN', 'CLOSED'], 'OPEN')]), rec([status(['OPEN', 'CLOSED', 'HELD'], 'OPEN')])),
  },
  {
    id: 'avro.enum-symbol-added-without-default',
    category: 'enum',
    footprint: FIELD,
    meaning: 'an enum gained a symbol, and the old enum has no default',
    rationale: 'Old readers meet a symbol they do not know and have no default to read it as (breaks forward). The new schema reads every old symbol.',
    example: ex(rec([status(['OPEN', 'CLOSED'])]), rec([status(['OPEN', 'CLOSED', 'HELD'])])),
  },
  {
    id: 'avro.enum-symbol-removed-with-default',
    category: 'enum',
    footprint: FIELD,
    meaning: 'an enum lost a symbol, and the new enum has a default',
    rationale: "Old data holding the removed symbol reads as the new enum's default.",
    example: ex(rec([status(['OPEN', 'CLOSED', 'HELD'], 'OPEN')]), rec([status(['OPEN', 'CLOSED'], 'OPEN')])),
  },
  {
    id: 'avro.enum-symbol-removed-without-default',
    category: 'enum',
    footprint: FIELD,
    meaning: 'an enum lost a symbol, and the new enum has no default',
    rationale: 'Old data may hold the removed symbol and the new enum has no default to read it as (breaks backward). Old readers know every new symbol.',
    example: ex(rec([status(['OPEN', 'CLOSED', 'HELD'])]), rec([status(['OPEN', 'CLOSED'])])),
  },
  {
    id: 'avro.enum-default-changed',
    category: 'enum',
    footprint: FIELD,
    meaning: "an enum's default was added, removed or changed",
    rationale: 'Between these two schemas every symbol exists on both sides, so no reader uses the default; it matters when symbols differ (judged by the symbol rules).',
    example: ex(rec([status(['OPEN', 'CLOSED'])]), rec([status(['OPEN', 'CLOSED'], 'OPEN')])),
  },
  {
    id: 'avro.name-changed',
    category: 'name',
    footprint: FIELD,
    meaning: 'a record, enum or fixed was renamed without an alias',
    rationale: 'Readers match named types by their unqualified name or their aliases: neither schema reads the other (breaks both ways).',
    example: ex(rec([id]), rec([id], { name: 'Purchase' })),
  },
  {
    id: 'avro.name-changed-via-alias',
    category: 'name',
    footprint: FIELD,
    meaning: 'a record, enum or fixed was renamed, with the old name kept as an alias',
    rationale: 'The new schema matches the old name through its alias. Old readers know no alias for the new name (breaks forward unless the old schema lists it).',
    example: ex(rec([id]), rec([id], { name: 'Purchase', aliases: ['Order'] })),
  },
  {
    id: 'avro.namespace-changed',
    category: 'name',
    footprint: FIELD,
    meaning: "a named type's namespace changed",
    rationale: 'The specification resolves named types by unqualified name (as Java and Confluent do), so a namespace move reads both ways.',
    example: ex(rec([id], { namespace: 'shop.v1' }), rec([id], { namespace: 'shop.v2' })),
  },
  {
    id: 'avro.fixed-size-changed',
    category: 'fixed',
    footprint: FIELD,
    meaning: "a fixed type's size changed",
    rationale: 'A fixed reads only a fixed of the same size: breaks both ways.',
    example: ex(rec([{ name: 'hash', type: { type: 'fixed', name: 'Hash', size: 16 } }]), rec([{ name: 'hash', type: { type: 'fixed', name: 'Hash', size: 32 } }])),
  },
  {
    id: 'avro.doc-changed',
    category: 'annotation',
    footprint: FIELD,
    meaning: 'a doc string changed',
    rationale: 'Documentation takes no part in resolution.',
    example: ex(rec([{ name: 'id', type: 'long', doc: 'order id' }]), rec([{ name: 'id', type: 'long', doc: 'the order id' }])),
  },
  {
    id: 'avro.aliases-changed',
    category: 'name',
    footprint: FIELD,
    meaning: 'aliases of a field or named type changed, with no rename',
    rationale: 'Between these two schemas the names match directly; aliases matter against versions that use the other names (transitive modes judge those pairs).',
    example: ex(rec([id]), rec([{ name: 'id', type: 'long', aliases: ['order_id'] }])),
  },
  {
    id: 'avro.unresolvable',
    category: 'type',
    footprint: TABLE,
    meaning: 'avsc refuses to resolve the schemas for a reason no other rule names',
    rationale: "The verdict is avsc's resolver; this rule carries its reason when the walk found no other. No known pair produces it (the conformance and vector tests would show one).",
  },
];

export const AVRO_RULES: readonly AvroRuleDefinition[] = Object.freeze(rules);

const byId = new Map(AVRO_RULES.map((r) => [r.id, r] as const));

export function avroRuleById(id: string): AvroRuleDefinition | undefined {
  return byId.get(id);
}

/** A release made only of these is a patch. */
export function isAvroAnnotation(id: string): boolean {
  return byId.get(id)?.category === 'annotation';
}
