/**
 * The rule catalog: every difference the engine can emit, with its stable
 * id, its backward verdict per policy, why, and a minimal example. The
 * engine judges changes only through this table, so a verdict lives in
 * exactly one place. Ids follow Confluent's Difference.Type names wherever
 * Confluent has one.
 */
import type { FootprintKind, RuleDefinition, Verdict } from './catalog-types.js';
import type { JsonSchema } from './types.js';

const B: Verdict = 'breaking';
const C: Verdict = 'compatible';
const FIELD: FootprintKind = 'field';
const TABLE: FootprintKind = 'table';

type Example = RuleDefinition['example'];

interface Spec {
  category: string;
  footprint: FootprintKind;
  meaning: string;
  strict: Verdict;
  lenient?: Verdict;
  rationale: string;
  example: Example;
  /** Confluent's name when it differs from ours, or false when Confluent has no such type. */
  confluent?: string[] | false;
  tesseraOnly?: boolean;
}

const rules: RuleDefinition[] = [];

function rule(id: string, s: Spec): void {
  const def: RuleDefinition = {
    id,
    category: s.category,
    meaning: s.meaning,
    footprint: s.footprint,
    backward: { strict: s.strict, lenient: s.lenient ?? s.strict },
    rationale: s.rationale,
    example: s.example,
  };
  if (s.confluent !== false && !s.tesseraOnly) def.confluent = s.confluent ?? [id];
  if (s.tesseraOnly) def.tesseraOnly = true;
  rules.push(def);
}

const ex = (old: JsonSchema, next: JsonSchema, contentModel?: 'open' | 'closed'): Example =>
  contentModel ? { old, new: next, contentModel } : { old, new: next };

/**
 * An upper bound (maxLength, maximum...) or a lower bound (minLength,
 * minimum...): four rules each, verdicts follow from the direction.
 */
function bounds(prefix: string, keyword: string, category: string, base: Record<string, unknown>, kind: 'upper' | 'lower', opts: { footprint: FootprintKind; confluent?: boolean; tesseraOnly?: boolean; what: string; lo?: number; hi?: number } ): void {
  const lo = opts.lo ?? 2;
  const hi = opts.hi ?? 5;
  const upper = kind === 'upper';
  const conf = opts.confluent === false ? false : undefined;
  const t = opts.tesseraOnly;
  rule(`${prefix}_ADDED`, {
    category,
    footprint: opts.footprint,
    meaning: `${keyword} added`,
    strict: B,
    rationale: `The old schema put no ${upper ? 'upper' : 'lower'} limit on ${opts.what}; records beyond the new ${keyword} stop validating.`,
    example: ex(base, { ...base, [keyword]: upper ? hi : lo }),
    confluent: conf,
    tesseraOnly: t,
  });
  rule(`${prefix}_REMOVED`, {
    category,
    footprint: opts.footprint,
    meaning: `${keyword} removed`,
    strict: C,
    rationale: `Dropping a limit on ${opts.what} only lets more records through.`,
    example: ex({ ...base, [keyword]: upper ? hi : lo }, base),
    confluent: conf,
    tesseraOnly: t,
  });
  rule(`${prefix}_INCREASED`, {
    category,
    footprint: opts.footprint,
    meaning: `${keyword} increased`,
    strict: upper ? C : B,
    rationale: upper
      ? `A higher ${keyword} accepts every record the lower one did.`
      : `Records whose ${opts.what} lies between the old and the new ${keyword} stop validating.`,
    example: ex({ ...base, [keyword]: lo }, { ...base, [keyword]: hi }),
    confluent: conf,
    tesseraOnly: t,
  });
  rule(`${prefix}_DECREASED`, {
    category,
    footprint: opts.footprint,
    meaning: `${keyword} decreased`,
    strict: upper ? B : C,
    rationale: upper
      ? `Records whose ${opts.what} lies between the new and the old ${keyword} stop validating.`
      : `A lower ${keyword} accepts every record the higher one did.`,
    example: ex({ ...base, [keyword]: hi }, { ...base, [keyword]: lo }),
    confluent: conf,
    tesseraOnly: t,
  });
}

// ---------------------------------------------------------------- annotations
const annotation = (id: string, key: string, value: (n: number) => unknown, tesseraOnly = false): void =>
  rule(id, {
    category: 'annotation',
    footprint: FIELD,
    meaning: `${key} changed`,
    strict: C,
    rationale: `${key} is an annotation: it never decides whether a record validates.`,
    example: ex({ type: 'string', [key]: value(1) }, { type: 'string', [key]: value(2) }),
    tesseraOnly,
  });
annotation('ID_CHANGED', '$id', (n) => `https://example.com/v${n}`);
annotation('TITLE_CHANGED', 'title', (n) => `Title ${n}`);
annotation('DESCRIPTION_CHANGED', 'description', (n) => `Description ${n}`);
annotation('DEFAULT_CHANGED', 'default', (n) => `value${n}`);
annotation('EXAMPLES_CHANGED', 'examples', (n) => [`example${n}`], true);
annotation('COMMENT_CHANGED', '$comment', (n) => `comment ${n}`, true);
annotation('DEPRECATED_CHANGED', 'deprecated', (n) => n === 2, true);

// ---------------------------------------------------------------- type
rule('SCHEMA_ADDED', {
  category: 'type',
  footprint: FIELD,
  meaning: 'a subschema appeared where there was none',
  strict: B,
  rationale: 'Where the old schema said nothing, any value was allowed; the new subschema rejects some of them.',
  example: ex({ type: 'array' }, { type: 'array', items: { type: 'string' } }),
});
rule('SCHEMA_REMOVED', {
  category: 'type',
  footprint: FIELD,
  meaning: 'a subschema was removed',
  strict: C,
  rationale: 'Without the subschema any value is allowed there, including every value it accepted.',
  example: ex({ type: 'array', items: { type: 'string' } }, { type: 'array' }),
});
rule('TYPE_CHANGED', {
  category: 'type',
  footprint: FIELD,
  meaning: 'type changed',
  strict: B,
  rationale: 'Values of the old type do not validate against the new one.',
  example: ex({ type: 'string' }, { type: 'integer' }),
});
rule('TYPE_EXTENDED', {
  category: 'type',
  footprint: FIELD,
  meaning: 'type widened (integer to number)',
  strict: C,
  rationale: 'Every integer is a number.',
  example: ex({ type: 'integer' }, { type: 'number' }),
});
rule('TYPE_NARROWED', {
  category: 'type',
  footprint: FIELD,
  meaning: 'type narrowed (number to integer)',
  strict: B,
  rationale: 'Records holding a fractional number stop validating.',
  example: ex({ type: 'number' }, { type: 'integer' }),
});

// ---------------------------------------------------------------- string
const str = { type: 'string' };
bounds('MAX_LENGTH', 'maxLength', 'string', str, 'upper', { footprint: FIELD, what: 'the string length' });
bounds('MIN_LENGTH', 'minLength', 'string', str, 'lower', { footprint: FIELD, what: 'the string length' });
rule('PATTERN_ADDED', {
  category: 'string',
  footprint: FIELD,
  meaning: 'pattern added',
  strict: B,
  rationale: 'Strings that do not match the new pattern stop validating.',
  example: ex(str, { ...str, pattern: '^[a-z]+$' }),
});
rule('PATTERN_REMOVED', {
  category: 'string',
  footprint: FIELD,
  meaning: 'pattern removed',
  strict: C,
  rationale: 'Without a pattern every string validates.',
  example: ex({ ...str, pattern: '^[a-z]+$' }, str),
});
rule('PATTERN_CHANGED', {
  category: 'string',
  footprint: FIELD,
  meaning: 'pattern changed',
  strict: B,
  rationale: 'Decided by automaton inclusion when both patterns are plain regular expressions, read as searches (unanchored ends match anything) whose only assertions are a leading ^ and a trailing $ per top-level alternative: then PATTERN_CHANGED means the two are incomparable, each accepting strings the other rejects, so it breaks both ways for certain (a superset is PATTERN_WIDENED, a subset PATTERN_NARROWED, an equivalent pattern no change). It stays conservative, assumed breaking both ways without proof, when either pattern uses lookarounds, \\b, an anchor inside a group, a backreference that cannot be expanded, does not compile with the u flag, or needs too large an automaton.',
  example: ex({ ...str, pattern: '^[a-z]+$' }, { ...str, pattern: '^[0-9]+$' }),
});
rule('FORMAT_ADDED', {
  category: 'format',
  footprint: FIELD,
  meaning: 'format added',
  strict: B,
  rationale: 'A format is a type for a warehouse column (date, timestamp, uuid): strings that are not of the new format stop being valid.',
  example: ex(str, { ...str, format: 'date' }),
  tesseraOnly: true,
});
rule('FORMAT_REMOVED', {
  category: 'format',
  footprint: FIELD,
  meaning: 'format removed',
  strict: C,
  rationale: 'Without a format any string is accepted, including every formatted one.',
  example: ex({ ...str, format: 'date' }, str),
  tesseraOnly: true,
});
rule('FORMAT_CHANGED', {
  category: 'format',
  footprint: FIELD,
  meaning: 'format changed',
  strict: B,
  rationale: 'Values of one format are not values of another (a date is not a date-time, and the reverse): breaking both ways.',
  example: ex({ ...str, format: 'date' }, { ...str, format: 'date-time' }),
  tesseraOnly: true,
});
rule('FORMAT_WIDENED', {
  category: 'format',
  footprint: FIELD,
  meaning: 'format widened to a superset (email to idn-email, uri to iri...)',
  strict: C,
  rationale: 'The new format accepts every value of the old one.',
  example: ex({ ...str, format: 'email' }, { ...str, format: 'idn-email' }),
  tesseraOnly: true,
});

// ---------------------------------------------------------------- physical type
// x-physical-type: the warehouse data_type behind a column (src/core/diff/physical.ts).
const phys = (t: string): Record<string, unknown> => ({ type: 'integer', 'x-physical-type': t });
rule('PHYSICAL_TYPE_WIDENED', {
  category: 'physical',
  footprint: FIELD,
  meaning: 'physical type widened within its family (int to bigint, real to double)',
  strict: C,
  rationale:
    'The new column type holds every value of the old one, so old rows still fit (backward). Readers of new rows break: a consumer that loads the column into the old, narrower type overflows, which is why the consumer mode and forward call it breaking. dbt\'s contract check calls every data_type change breaking; Tessera tells the direction.',
  example: ex(phys('int'), phys('bigint')),
  tesseraOnly: true,
});
rule('PHYSICAL_TYPE_NARROWED', {
  category: 'physical',
  footprint: FIELD,
  meaning: 'physical type narrowed within its family (bigint to int)',
  strict: B,
  rationale: 'Old values may not fit the narrower column type (backward breaks). Every new value fits what readers of the old type expect, so the consumer mode calls it compatible.',
  example: ex(phys('bigint'), phys('int')),
  tesseraOnly: true,
});
rule('PHYSICAL_TYPE_CHANGED', {
  category: 'physical',
  footprint: FIELD,
  meaning: 'physical type changed to one of another family, or one whose width differs between warehouses',
  strict: B,
  rationale:
    'The two column types are not ordered by what they hold (timestamp_ntz vs timestamp_tz, char vs varchar), or one of them has a width that depends on the warehouse (float, int8, bare timestamp): assumed breaking both ways.',
  example: ex({ type: 'string', format: 'date-time', 'x-physical-type': 'timestamp_ntz' }, { type: 'string', format: 'date-time', 'x-physical-type': 'timestamp_tz' }),
  tesseraOnly: true,
});
rule('PHYSICAL_TYPE_EQUIVALENT', {
  category: 'annotation',
  footprint: FIELD,
  meaning: 'physical type renamed to a synonym (int4 to integer, varchar to text)',
  strict: C,
  rationale: 'Both names denote the same column type; lengths and precision are judged through maxLength and the numeric bounds.',
  example: ex(phys('int4'), phys('integer')),
  tesseraOnly: true,
});
rule('PHYSICAL_TYPE_ADDED', {
  category: 'annotation',
  footprint: FIELD,
  meaning: 'physical type recorded where none was',
  strict: C,
  rationale: 'Recording the column type says nothing new about the values (the first sync after upgrading records it for every typed column).',
  example: ex({ type: 'integer' }, phys('bigint')),
  tesseraOnly: true,
});
rule('PHYSICAL_TYPE_REMOVED', {
  category: 'annotation',
  footprint: FIELD,
  meaning: 'physical type no longer recorded',
  strict: C,
  rationale: 'The JSON type still says what the values are; only the warehouse type name is gone.',
  example: ex(phys('bigint'), { type: 'integer' }),
  tesseraOnly: true,
});

// ---------------------------------------------------------------- number
const numb = { type: 'number' };
bounds('MAXIMUM', 'maximum', 'number', numb, 'upper', { footprint: FIELD, what: 'the value', lo: 10, hi: 20 });
bounds('MINIMUM', 'minimum', 'number', numb, 'lower', { footprint: FIELD, what: 'the value', lo: 10, hi: 20 });
bounds('EXCLUSIVE_MAXIMUM', 'exclusiveMaximum', 'number', numb, 'upper', { footprint: FIELD, what: 'the value', lo: 10, hi: 20 });
bounds('EXCLUSIVE_MINIMUM', 'exclusiveMinimum', 'number', numb, 'lower', { footprint: FIELD, what: 'the value', lo: 10, hi: 20 });
rule('MULTIPLE_OF_ADDED', {
  category: 'number',
  footprint: FIELD,
  meaning: 'multipleOf added',
  strict: B,
  rationale: 'Numbers that are not multiples of the new divisor stop validating.',
  example: ex(numb, { ...numb, multipleOf: 5 }),
});
rule('MULTIPLE_OF_REMOVED', {
  category: 'number',
  footprint: FIELD,
  meaning: 'multipleOf removed',
  strict: C,
  rationale: 'Without a divisor every number validates.',
  example: ex({ ...numb, multipleOf: 5 }, numb),
});
rule('MULTIPLE_OF_EXPANDED', {
  category: 'number',
  footprint: FIELD,
  meaning: 'multipleOf became a multiple of the old divisor',
  strict: B,
  rationale: 'Multiples of 2 that are not multiples of 10 stop validating when 2 becomes 10.',
  example: ex({ ...numb, multipleOf: 2 }, { ...numb, multipleOf: 10 }),
});
rule('MULTIPLE_OF_REDUCED', {
  category: 'number',
  footprint: FIELD,
  meaning: 'multipleOf became a divisor of the old one',
  strict: C,
  rationale: 'Every multiple of 10 is a multiple of 2.',
  example: ex({ ...numb, multipleOf: 10 }, { ...numb, multipleOf: 2 }),
});
rule('MULTIPLE_OF_CHANGED', {
  category: 'number',
  footprint: FIELD,
  meaning: 'multipleOf changed to an unrelated divisor',
  strict: B,
  rationale: 'Multiples of the old divisor are in general not multiples of the new one.',
  example: ex({ ...numb, multipleOf: 10 }, { ...numb, multipleOf: 3 }),
});

// ---------------------------------------------------------------- object
const obj = (props: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ type: 'object', properties: props, ...extra });
const s = { type: 'string' };
const n = { type: 'number' };

rule('REQUIRED_ATTRIBUTE_ADDED', {
  category: 'object',
  footprint: FIELD,
  meaning: 'an existing property became required',
  strict: B,
  rationale: 'Records that omit the property stop validating.',
  example: ex(obj({ a: s }), obj({ a: s }, { required: ['a'] })),
});
rule('REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED', {
  category: 'object',
  footprint: FIELD,
  meaning: 'an existing property with a default became required',
  strict: C,
  rationale: 'A reader fills the default in for records that omit the property (Confluent semantics).',
  example: ex(obj({ a: s }), obj({ a: { ...s, default: 'x' } }, { required: ['a'] })),
});
rule('REQUIRED_ATTRIBUTE_REMOVED', {
  category: 'object',
  footprint: FIELD,
  meaning: 'a property is no longer required',
  strict: C,
  rationale: 'Records that carry the property still validate.',
  example: ex(obj({ a: s }, { required: ['a'] }), obj({ a: s })),
});
bounds('MAX_PROPERTIES', 'maxProperties', 'object', { type: 'object' }, 'upper', { footprint: TABLE, what: 'the number of properties' });
bounds('MIN_PROPERTIES', 'minProperties', 'object', { type: 'object' }, 'lower', { footprint: TABLE, what: 'the number of properties' });
rule('ADDITIONAL_PROPERTIES_ADDED', {
  category: 'object',
  footprint: TABLE,
  meaning: 'unlisted properties are now allowed',
  strict: C,
  rationale: 'Opening the content model only lets more records through.',
  example: ex(obj({ a: s }, { additionalProperties: false }), obj({ a: s }, { additionalProperties: true })),
});
rule('ADDITIONAL_PROPERTIES_REMOVED', {
  category: 'object',
  footprint: TABLE,
  meaning: 'unlisted properties are no longer allowed (content model closed)',
  strict: B,
  lenient: C,
  rationale: 'Records carrying unlisted properties stop validating. LENIENT accepts closing an open model.',
  example: ex(obj({ a: s }, { additionalProperties: true }), obj({ a: s }, { additionalProperties: false })),
});
rule('ADDITIONAL_PROPERTIES_EXTENDED', {
  category: 'object',
  footprint: TABLE,
  meaning: 'the schema of unlisted properties was dropped (any value allowed)',
  strict: C,
  rationale: 'Unlisted properties may now hold any value, including the ones the old schema allowed.',
  example: ex(obj({ a: s }, { additionalProperties: s }), obj({ a: s }, { additionalProperties: true })),
});
rule('ADDITIONAL_PROPERTIES_NARROWED', {
  category: 'object',
  footprint: TABLE,
  meaning: 'unlisted properties now have to match a schema',
  strict: B,
  lenient: C,
  rationale: 'Records whose unlisted properties do not match the new schema stop validating. LENIENT accepts it.',
  example: ex(obj({ a: s }, { additionalProperties: true }), obj({ a: s }, { additionalProperties: s })),
});
rule('DEPENDENCY_ARRAY_ADDED', {
  category: 'object',
  footprint: TABLE,
  meaning: 'a property dependency was added (if A is present, B must be)',
  strict: B,
  rationale: 'Records with A but without B stop validating.',
  example: ex(obj({ a: s, b: s }), obj({ a: s, b: s }, { dependentRequired: { a: ['b'] } })),
});
rule('DEPENDENCY_ARRAY_REMOVED', {
  category: 'object',
  footprint: TABLE,
  meaning: 'a property dependency was removed',
  strict: C,
  rationale: 'Dropping a dependency only lets more records through.',
  example: ex(obj({ a: s, b: s }, { dependentRequired: { a: ['b'] } }), obj({ a: s, b: s })),
});
rule('DEPENDENCY_ARRAY_EXTENDED', {
  category: 'object',
  footprint: TABLE,
  meaning: 'a property dependency requires more properties',
  strict: B,
  rationale: 'Records with the trigger but without the newly required property stop validating.',
  example: ex(obj({ a: s, b: s, c: s }, { dependentRequired: { a: ['b'] } }), obj({ a: s, b: s, c: s }, { dependentRequired: { a: ['b', 'c'] } })),
});
rule('DEPENDENCY_ARRAY_NARROWED', {
  category: 'object',
  footprint: TABLE,
  meaning: 'a property dependency requires fewer properties',
  strict: C,
  rationale: 'Fewer obligations only let more records through.',
  example: ex(obj({ a: s, b: s, c: s }, { dependentRequired: { a: ['b', 'c'] } }), obj({ a: s, b: s, c: s }, { dependentRequired: { a: ['b'] } })),
});
rule('DEPENDENCY_ARRAY_CHANGED', {
  category: 'object',
  footprint: TABLE,
  meaning: 'a property dependency requires different properties',
  strict: B,
  rationale: 'Records that satisfied the old list but not the new one stop validating.',
  example: ex(obj({ a: s, b: s, c: s }, { dependentRequired: { a: ['b'] } }), obj({ a: s, b: s, c: s }, { dependentRequired: { a: ['c'] } })),
});
rule('DEPENDENCY_SCHEMA_ADDED', {
  category: 'object',
  footprint: TABLE,
  meaning: 'a schema dependency was added (if A is present, the record must match a schema)',
  strict: B,
  rationale: 'Records with A that do not match the new schema stop validating.',
  example: ex(obj({ a: s, b: s }), obj({ a: s, b: s }, { dependentSchemas: { a: { required: ['b'] } } })),
});
rule('DEPENDENCY_SCHEMA_REMOVED', {
  category: 'object',
  footprint: TABLE,
  meaning: 'a schema dependency was removed',
  strict: C,
  rationale: 'Dropping a dependency only lets more records through.',
  example: ex(obj({ a: s, b: s }, { dependentSchemas: { a: { required: ['b'] } } }), obj({ a: s, b: s })),
});
rule('PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL', {
  category: 'object',
  footprint: FIELD,
  meaning: 'an optional property that accepts anything was added to an open object',
  strict: C,
  rationale: 'The open model already allowed the property with any value.',
  example: ex(obj({ a: s }), obj({ a: s, b: {} }), 'open'),
});
rule('OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL', {
  category: 'object',
  footprint: FIELD,
  meaning: 'an optional property was added to an open object',
  strict: B,
  lenient: C,
  rationale: 'In an open model old records may already carry this name with a value the new schema rejects. LENIENT accepts it.',
  example: ex(obj({ a: s }), obj({ a: s, b: n }), 'open'),
});
rule('REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL', {
  category: 'object',
  footprint: FIELD,
  meaning: 'a required property without a default was added to an open object',
  strict: B,
  rationale: 'Old records that lack the property stop validating.',
  example: ex(obj({ a: s }), obj({ a: s, b: n }, { required: ['b'] }), 'open'),
});
rule('REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL', {
  category: 'object',
  footprint: FIELD,
  meaning: 'a required property with a default was added to an open object',
  strict: B,
  lenient: C,
  rationale: 'The default covers records that lack it, but old records may carry the name with another value. LENIENT accepts it.',
  example: ex(obj({ a: s }), obj({ a: s, b: { ...n, default: 0 } }, { required: ['b'] }), 'open'),
});
rule('REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL', {
  category: 'object',
  footprint: FIELD,
  meaning: 'a required property without a default was added to a closed or partially open object',
  strict: B,
  rationale: 'No old record has the property, so every old record stops validating.',
  example: ex(obj({ a: s }), obj({ a: s, b: n }, { required: ['b'] })),
});
rule('REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL', {
  category: 'object',
  footprint: FIELD,
  meaning: 'a required property with a default was added to a closed or partially open object',
  strict: C,
  rationale: 'Old records lack the property and the reader fills the default in.',
  example: ex(obj({ a: s }), obj({ a: s, b: { ...n, default: 0 } }, { required: ['b'] })),
});
rule('OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL', {
  category: 'object',
  footprint: FIELD,
  meaning: 'an optional property was added to a closed or partially open object',
  strict: C,
  rationale: 'No old record could carry the property, so none is affected.',
  example: ex(obj({ a: s }), obj({ a: s, b: n })),
});
rule('PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL', {
  category: 'object',
  footprint: FIELD,
  meaning: 'a property was removed from an open object',
  strict: C,
  rationale: 'The open model still accepts the property as an unlisted one, with any value.',
  example: ex(obj({ a: s, b: n }), obj({ a: s }), 'open'),
});
rule('PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL', {
  category: 'object',
  footprint: FIELD,
  meaning: 'a forbidden (false) property was removed from a closed object',
  strict: C,
  rationale: 'No old record could carry it.',
  example: ex(obj({ a: s, b: false }), obj({ a: s })),
});
rule('PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL', {
  category: 'object',
  footprint: FIELD,
  meaning: 'a property (column) was removed from a closed object',
  strict: B,
  lenient: C,
  rationale: 'Old records carrying the property stop validating: the closed model rejects unlisted properties. LENIENT accepts it.',
  example: ex(obj({ email: s, id: n }, { required: ['email'] }), obj({ id: n })),
});
rule('PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', {
  category: 'object',
  footprint: FIELD,
  meaning: 'a property was added whose schema accepts what patternProperties / additionalProperties allowed for it',
  strict: C,
  rationale: 'Old records could only carry the name with values the new property schema also accepts.',
  example: ex(obj({ a: s }, { additionalProperties: s }), obj({ a: s, b: s }, { additionalProperties: s })),
});
rule('PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', {
  category: 'object',
  footprint: FIELD,
  meaning: 'a property was added whose schema rejects values patternProperties / additionalProperties allowed for it',
  strict: B,
  lenient: C,
  rationale: 'Old records may carry the name with a value the new property schema rejects (the nested difference says which).',
  example: ex(obj({ a: s }, { additionalProperties: s }), obj({ a: s, b: n }, { additionalProperties: s })),
});
rule('PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', {
  category: 'object',
  footprint: FIELD,
  meaning: 'a property was removed and patternProperties / additionalProperties still accept its values',
  strict: C,
  rationale: 'Old records carrying the property still validate as an unlisted property.',
  example: ex(obj({ a: s, b: s }, { additionalProperties: s }), obj({ a: s }, { additionalProperties: s })),
});
rule('PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', {
  category: 'object',
  footprint: FIELD,
  meaning: 'a property was removed and patternProperties / additionalProperties reject some of its values',
  strict: B,
  lenient: C,
  rationale: 'Old records carrying the property with such a value stop validating.',
  example: ex(obj({ a: s, b: n }, { additionalProperties: s }), obj({ a: s }, { additionalProperties: s })),
});
rule('PATTERN_PROPERTY_ADDED', {
  category: 'object',
  footprint: TABLE,
  meaning: 'a patternProperties entry was added to an object that allowed such names',
  strict: B,
  rationale: 'Old records may carry matching names with values the new pattern schema rejects. Confluent does not judge this.',
  example: ex({ type: 'object' }, { type: 'object', patternProperties: { '^x_': s } }, 'open'),
  tesseraOnly: true,
});
rule('PATTERN_PROPERTY_ADDED_TO_CLOSED_CONTENT_MODEL', {
  category: 'object',
  footprint: TABLE,
  meaning: 'a patternProperties entry was added to a closed object',
  strict: C,
  rationale: 'No old record could carry an unlisted name, so none is affected.',
  example: ex({ type: 'object', additionalProperties: false }, { type: 'object', additionalProperties: false, patternProperties: { '^x_': s } }),
  tesseraOnly: true,
});
rule('PATTERN_PROPERTY_REMOVED', {
  category: 'object',
  footprint: TABLE,
  meaning: 'a patternProperties entry was removed from an object that is not fully open',
  strict: B,
  rationale: 'Old records with matching names fall back to additionalProperties, which may reject them.',
  example: ex({ type: 'object', additionalProperties: false, patternProperties: { '^x_': s } }, { type: 'object', additionalProperties: false }),
  tesseraOnly: true,
});
rule('PATTERN_PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL', {
  category: 'object',
  footprint: TABLE,
  meaning: 'a patternProperties entry was removed and the names it matched fall back to an open additionalProperties',
  strict: C,
  rationale: 'Matching names are still checked by any other pattern that matches them and otherwise accepted with any value: fewer constraints, never more.',
  example: ex({ type: 'object', patternProperties: { '^x_': s } }, { type: 'object', additionalProperties: true }),
  tesseraOnly: true,
});
rule('PROPERTY_NAMES_ADDED', {
  category: 'object',
  footprint: TABLE,
  meaning: 'propertyNames added',
  strict: B,
  rationale: 'Records with property names the new schema rejects stop validating.',
  example: ex({ type: 'object', additionalProperties: true }, { type: 'object', additionalProperties: true, propertyNames: { maxLength: 3 } }),
  tesseraOnly: true,
});
rule('PROPERTY_NAMES_REMOVED', {
  category: 'object',
  footprint: TABLE,
  meaning: 'propertyNames removed',
  strict: C,
  rationale: 'Any property name is accepted again.',
  example: ex({ type: 'object', additionalProperties: true, propertyNames: { maxLength: 3 } }, { type: 'object', additionalProperties: true }),
  tesseraOnly: true,
});

// ---------------------------------------------------------------- array
const arr = { type: 'array' };
const tuple = (items: unknown[], tail?: unknown): Record<string, unknown> => (tail === undefined ? { type: 'array', items } : { type: 'array', items, additionalItems: tail });
bounds('MAX_ITEMS', 'maxItems', 'array', arr, 'upper', { footprint: FIELD, what: 'the number of items' });
bounds('MIN_ITEMS', 'minItems', 'array', arr, 'lower', { footprint: FIELD, what: 'the number of items' });
rule('UNIQUE_ITEMS_ADDED', {
  category: 'array',
  footprint: FIELD,
  meaning: 'uniqueItems added',
  strict: B,
  rationale: 'Arrays with duplicates stop validating.',
  example: ex(arr, { ...arr, uniqueItems: true }),
});
rule('UNIQUE_ITEMS_REMOVED', {
  category: 'array',
  footprint: FIELD,
  meaning: 'uniqueItems removed',
  strict: C,
  rationale: 'Arrays without duplicates still validate.',
  example: ex({ ...arr, uniqueItems: true }, arr),
});
rule('ADDITIONAL_ITEMS_ADDED', {
  category: 'array',
  footprint: FIELD,
  meaning: 'items past the tuple are now allowed',
  strict: C,
  rationale: 'Opening the tail only lets more arrays through.',
  example: ex(tuple([s], false), tuple([s], true)),
});
rule('ADDITIONAL_ITEMS_REMOVED', {
  category: 'array',
  footprint: FIELD,
  meaning: 'items past the tuple are no longer allowed',
  strict: B,
  rationale: 'Arrays longer than the tuple stop validating.',
  example: ex(tuple([s], true), tuple([s], false)),
});
rule('ADDITIONAL_ITEMS_EXTENDED', {
  category: 'array',
  footprint: FIELD,
  meaning: 'the schema of items past the tuple was dropped (any value allowed)',
  strict: C,
  rationale: 'Tail items may now hold any value.',
  example: ex(tuple([s], s), tuple([s], true)),
});
rule('ADDITIONAL_ITEMS_NARROWED', {
  category: 'array',
  footprint: FIELD,
  meaning: 'items past the tuple now have to match a schema',
  strict: B,
  rationale: 'Arrays whose tail items do not match stop validating.',
  example: ex(tuple([s], true), tuple([s], s)),
});
rule('ITEM_ADDED_TO_OPEN_CONTENT_MODEL', {
  category: 'array',
  footprint: FIELD,
  meaning: 'a tuple position was added where any item was allowed',
  strict: B,
  rationale: 'Old arrays may hold any value at that position.',
  example: ex(tuple([s]), tuple([s, n])),
});
rule('ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL', {
  category: 'array',
  footprint: FIELD,
  meaning: 'a tuple position that accepts anything was added where any item was allowed',
  strict: C,
  rationale: 'Nothing changes for any array.',
  example: ex(tuple([s]), tuple([s, {}])),
});
rule('ITEM_ADDED_TO_CLOSED_CONTENT_MODEL', {
  category: 'array',
  footprint: FIELD,
  meaning: 'a tuple position was added to a closed tuple',
  strict: C,
  rationale: 'Old arrays could not be that long.',
  example: ex(tuple([s], false), tuple([s, n], false)),
});
rule('ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL', {
  category: 'array',
  footprint: FIELD,
  meaning: 'a tuple position was removed and the tail accepts anything',
  strict: C,
  rationale: 'The item still validates as a tail item.',
  example: ex(tuple([s, n]), tuple([s])),
});
rule('ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL', {
  category: 'array',
  footprint: FIELD,
  meaning: 'a forbidden (false) tuple position was removed from a closed tuple',
  strict: C,
  rationale: 'No old array could reach that position.',
  example: ex(tuple([s, false], false), tuple([s], false)),
});
rule('ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL', {
  category: 'array',
  footprint: FIELD,
  meaning: 'a tuple position was removed from a closed tuple',
  strict: B,
  rationale: 'Old arrays that used the position become too long.',
  example: ex(tuple([s, n], false), tuple([s], false)),
});
rule('ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', {
  category: 'array',
  footprint: FIELD,
  meaning: 'a tuple position was added whose schema accepts what the old tail allowed',
  strict: C,
  rationale: 'Old arrays held tail items the new position accepts.',
  example: ex(tuple([s], s), tuple([s, s], s)),
});
rule('ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', {
  category: 'array',
  footprint: FIELD,
  meaning: 'a tuple position was added whose schema rejects what the old tail allowed',
  strict: B,
  rationale: 'Old arrays may hold a tail item there that the new position rejects.',
  example: ex(tuple([s], s), tuple([s, n], s)),
});
rule('ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', {
  category: 'array',
  footprint: FIELD,
  meaning: 'a tuple position was removed and the new tail accepts its values',
  strict: C,
  rationale: 'The item still validates as a tail item.',
  example: ex(tuple([s, s], s), tuple([s], s)),
});
rule('ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', {
  category: 'array',
  footprint: FIELD,
  meaning: 'a tuple position was removed and the new tail rejects some of its values',
  strict: B,
  rationale: 'Old arrays holding such an item stop validating.',
  example: ex(tuple([s, n], s), tuple([s], s)),
});
const cont = { type: 'array', contains: n };
rule('MIN_CONTAINS_INCREASED', {
  category: 'array',
  footprint: FIELD,
  meaning: 'minContains increased',
  strict: B,
  rationale: 'Arrays with fewer matching items than the new minimum stop validating.',
  example: ex({ ...cont, minContains: 1 }, { ...cont, minContains: 2 }),
});
rule('MIN_CONTAINS_DECREASED', {
  category: 'array',
  footprint: FIELD,
  meaning: 'minContains decreased',
  strict: C,
  rationale: 'A lower minimum accepts every array the higher one did.',
  example: ex({ ...cont, minContains: 2 }, { ...cont, minContains: 1 }),
});
bounds('MAX_CONTAINS', 'maxContains', 'array', cont, 'upper', { footprint: FIELD, what: 'the number of matching items', confluent: false });
rule('CONTAINS_ADDED', {
  category: 'array',
  footprint: FIELD,
  meaning: 'contains added',
  strict: B,
  rationale: 'Arrays without a matching item stop validating.',
  example: ex(arr, cont),
  tesseraOnly: true,
});
rule('CONTAINS_REMOVED', {
  category: 'array',
  footprint: FIELD,
  meaning: 'contains removed',
  strict: C,
  rationale: 'Arrays no longer need a matching item.',
  example: ex(cont, arr),
  tesseraOnly: true,
});

// ---------------------------------------------------------------- enum
rule('ENUM_ARRAY_EXTENDED', {
  category: 'enum',
  footprint: FIELD,
  meaning: 'enum values added',
  strict: C,
  rationale: 'Every old value is still allowed.',
  example: ex({ enum: ['a'] }, { enum: ['a', 'b'] }),
});
rule('ENUM_ARRAY_NARROWED', {
  category: 'enum',
  footprint: FIELD,
  meaning: 'enum values removed',
  strict: B,
  rationale: 'Records holding a removed value stop validating.',
  example: ex({ enum: ['a', 'b'] }, { enum: ['a'] }),
});
rule('ENUM_ARRAY_CHANGED', {
  category: 'enum',
  footprint: FIELD,
  meaning: 'enum values (or the const value) replaced',
  strict: B,
  rationale: 'Records holding a value that is gone stop validating.',
  example: ex({ enum: ['a', 'b'] }, { enum: ['a', 'c'] }),
});

rule('ENUM_ADDED', {
  category: 'enum',
  footprint: FIELD,
  meaning: 'an enum was added beside the type',
  strict: B,
  rationale: 'Values outside the new list stop validating.',
  example: ex({ type: 'string' }, { type: 'string', enum: ['a', 'b'] }),
  tesseraOnly: true,
});
rule('ENUM_REMOVED', {
  category: 'enum',
  footprint: FIELD,
  meaning: 'the enum beside the type was removed',
  strict: C,
  rationale: 'Every value of the type is accepted again, including the listed ones.',
  example: ex({ type: 'string', enum: ['a', 'b'] }, { type: 'string' }),
  tesseraOnly: true,
});

// ---------------------------------------------------------------- combinator
rule('COMBINED_TYPE_EXTENDED', {
  category: 'combinator',
  footprint: TABLE,
  meaning: 'combinator changed to a more permissive one (e.g. oneOf to anyOf)',
  strict: C,
  rationale: 'anyOf accepts whatever oneOf or allOf over the same branches accepted.',
  example: ex({ oneOf: [s] }, { anyOf: [s] }),
});
rule('COMBINED_TYPE_CHANGED', {
  category: 'combinator',
  footprint: TABLE,
  meaning: 'combinator changed to a stricter or unrelated one',
  strict: B,
  rationale: 'anyOf to oneOf rejects records that match several branches; to allOf rejects records that match only one.',
  example: ex({ anyOf: [s, n] }, { oneOf: [s, n] }),
});
rule('PRODUCT_TYPE_EXTENDED', {
  category: 'combinator',
  footprint: TABLE,
  meaning: 'allOf gained a member',
  strict: B,
  rationale: 'Records must now also match the new member.',
  example: ex({ allOf: [s] }, { allOf: [s, { maxLength: 3 }] }),
});
rule('PRODUCT_TYPE_NARROWED', {
  category: 'combinator',
  footprint: TABLE,
  meaning: 'allOf lost a member (or a constraint such as enum was removed)',
  strict: C,
  rationale: 'Fewer constraints only let more records through.',
  example: ex({ allOf: [s, { maxLength: 3 }] }, { allOf: [s] }),
});
rule('SUM_TYPE_EXTENDED', {
  category: 'combinator',
  footprint: TABLE,
  meaning: 'a union gained a branch (e.g. the column became nullable)',
  strict: C,
  rationale: 'Every old record still matches the branch it matched.',
  example: ex({ type: 'string' }, { type: ['string', 'null'] }),
});
rule('SUM_TYPE_NARROWED', {
  category: 'combinator',
  footprint: TABLE,
  meaning: 'a union lost a branch',
  strict: B,
  rationale: 'Records that matched only the lost branch stop validating.',
  example: ex({ oneOf: [s, n] }, { oneOf: [s] }),
});
rule('COMBINED_TYPE_SUBSCHEMAS_CHANGED', {
  category: 'combinator',
  footprint: TABLE,
  meaning: 'combinator branches changed so that some old branch has no compatible new branch',
  strict: B,
  rationale: 'Records matching that old branch may match no new one.',
  example: ex({ oneOf: [s] }, { oneOf: [n] }),
});
rule('NOT_TYPE_EXTENDED', {
  category: 'combinator',
  footprint: TABLE,
  meaning: 'the schema under not now matches more (so the whole accepts less)',
  strict: B,
  rationale: 'Records the negated schema newly matches stop validating.',
  example: ex({ not: { type: 'integer' } }, { not: { type: 'number' } }),
});
rule('NOT_TYPE_NARROWED', {
  category: 'combinator',
  footprint: TABLE,
  meaning: 'the schema under not now matches less (so the whole accepts more)',
  strict: C,
  rationale: 'Every old record is still not matched by the negated schema.',
  example: ex({ not: { type: 'number' } }, { not: { type: 'integer' } }),
});
rule('CONSTRAINT_ADDED', {
  category: 'combinator',
  footprint: TABLE,
  meaning: 'a constraint keyword (const, not, allOf, anyOf, oneOf, if) was added beside the existing ones',
  strict: B,
  rationale: 'Records must now also satisfy the new constraint.',
  example: ex({ type: 'integer' }, { type: 'integer', not: { const: 0 } }),
  tesseraOnly: true,
});
rule('CONSTRAINT_REMOVED', {
  category: 'combinator',
  footprint: TABLE,
  meaning: 'a constraint keyword (const, not, allOf, anyOf, oneOf, if) was removed',
  strict: C,
  rationale: 'One constraint fewer only lets more records through.',
  example: ex({ type: 'integer', not: { const: 0 } }, { type: 'integer' }),
  tesseraOnly: true,
});
rule('CONDITIONAL_CHANGED', {
  category: 'combinator',
  footprint: TABLE,
  meaning: 'the if of an if / then / else changed',
  strict: B,
  rationale:
    'A different if sends records to different branches, and that is not compared for inclusion: it is assumed to reject some old record. Under the same if, then and else are compared with their counterparts and judged by the usual rules. Confluent does not judge this.',
  example: ex(
    { type: 'object', if: { required: ['a'] }, then: { required: ['b'] } },
    { type: 'object', if: { required: ['c'] }, then: { required: ['b'] } },
  ),
  tesseraOnly: true,
});

// ---------------------------------------------------------------- reference
rule('EXTERNAL_REFERENCE_CHANGED', {
  category: 'reference',
  footprint: FIELD,
  meaning: 'a $ref that points outside the document changed',
  strict: B,
  rationale: 'The engine cannot see the target, so a different target is assumed to accept different records. Local $refs are followed instead.',
  example: ex({ $ref: 'https://example.com/a.json' }, { $ref: 'https://example.com/b.json' }),
  confluent: false,
});

// ---- engine faults A
rule('ONE_OF_BRANCHES_MAY_OVERLAP', {
  category: 'combinator',
  footprint: TABLE,
  meaning: 'a oneOf branch that is new or accepts more may overlap another branch',
  strict: B,
  rationale:
    'oneOf rejects an instance that matches two branches. A record that matched one branch before may now match the new or widened branch too, unless the two are provably disjoint (different types, different const or enum values, a required discriminator with disjoint values, a required key the other closed branch cannot hold).',
  example: ex({ oneOf: [{ type: 'integer' }] }, { oneOf: [{ type: 'integer' }, { type: 'number' }] }),
  tesseraOnly: true,
});
rule('SUM_TYPE_MERGED', {
  category: 'combinator',
  footprint: TABLE,
  meaning: 'a union (anyOf/oneOf) was replaced by one schema that accepts every branch',
  strict: C,
  rationale: 'Every record matched some branch, and the new schema accepts everything each branch accepted.',
  example: ex({ anyOf: [{ type: 'string', maxLength: 3 }, { type: 'string', maxLength: 5 }] }, { type: 'string' }),
  tesseraOnly: true,
});
// ---- engine faults B
// Verdicts judged by what the schemas accept rather than keyword by keyword (docs/diff-semantics.md).
rule('LOWER_BOUND_RELAXED', {
  category: 'number',
  footprint: FIELD,
  meaning: 'the lower bound now admits more values (e.g. exclusiveMinimum 10 became minimum 10)',
  strict: C,
  rationale: 'minimum and exclusiveMinimum are read together as one effective lower bound; the new one admits every value the old one did.',
  example: ex({ ...numb, exclusiveMinimum: 10 }, { ...numb, minimum: 10 }),
  confluent: false,
});
rule('LOWER_BOUND_TIGHTENED', {
  category: 'number',
  footprint: FIELD,
  meaning: 'the lower bound now admits fewer values (e.g. minimum 10 became exclusiveMinimum 10)',
  strict: B,
  rationale: 'The effective lower bound (minimum and exclusiveMinimum together) rejects values the old one admitted, such as the bound itself.',
  example: ex({ ...numb, minimum: 10 }, { ...numb, exclusiveMinimum: 10 }),
  confluent: false,
});
rule('UPPER_BOUND_RELAXED', {
  category: 'number',
  footprint: FIELD,
  meaning: 'the upper bound now admits more values (e.g. exclusiveMaximum 10 became maximum 10)',
  strict: C,
  rationale: 'maximum and exclusiveMaximum are read together as one effective upper bound; the new one admits every value the old one did.',
  example: ex({ ...numb, exclusiveMaximum: 10 }, { ...numb, maximum: 10 }),
  confluent: false,
});
rule('UPPER_BOUND_TIGHTENED', {
  category: 'number',
  footprint: FIELD,
  meaning: 'the upper bound now admits fewer values (e.g. maximum 10 became exclusiveMaximum 10)',
  strict: B,
  rationale: 'The effective upper bound (maximum and exclusiveMaximum together) rejects values the old one admitted, such as the bound itself.',
  example: ex({ ...numb, maximum: 10 }, { ...numb, exclusiveMaximum: 10 }),
  confluent: false,
});
rule('ENUM_WIDENED_TO_SCHEMA', {
  category: 'enum',
  footprint: FIELD,
  meaning: 'an enum or const became a schema that accepts every listed value (e.g. const "a" became type string)',
  strict: C,
  rationale: 'The old schema accepted only its listed values, and the new one was checked to accept each of them.',
  example: ex({ const: 'a' }, { type: 'string' }),
  confluent: false,
});
rule('PATTERN_WIDENED', {
  category: 'string',
  footprint: FIELD,
  meaning: 'pattern changed to one that matches every string the old one matched',
  strict: C,
  rationale: 'Decided by automaton inclusion (the pattern is a search: unanchored ends match anything): every string the old pattern accepted, the new one accepts.',
  example: ex({ ...str, pattern: '^[a-z]+$' }, { ...str, pattern: '^[a-z0-9]+$' }),
  // Confluent reports every changed pattern as PATTERN_CHANGED.
  confluent: ['PATTERN_CHANGED'],
});
rule('PATTERN_NARROWED', {
  category: 'string',
  footprint: FIELD,
  meaning: 'pattern changed to one that matches only some of the strings the old one matched',
  strict: B,
  rationale: 'Decided by automaton inclusion: the new pattern accepts a strict subset of the old one, so some old strings stop validating.',
  example: ex({ ...str, pattern: '^[a-z0-9]+$' }, { ...str, pattern: '^[a-z]+$' }),
  // Confluent reports every changed pattern as PATTERN_CHANGED.
  confluent: ['PATTERN_CHANGED'],
});
rule('TYPE_DECLARED', {
  category: 'type',
  footprint: FIELD,
  meaning: 'type declared where the kind was only implied by keywords (e.g. minimum without type)',
  strict: B,
  rationale: 'Keywords such as minimum or maxLength constrain only values of their kind; without type every other value was accepted, and the declared type now rejects it.',
  example: ex({ minimum: 1 }, { type: 'number', minimum: 1 }),
  tesseraOnly: true,
});
rule('TYPE_UNDECLARED', {
  category: 'type',
  footprint: FIELD,
  meaning: 'type dropped, the kind now only implied by keywords',
  strict: C,
  rationale: 'Values of the kind are judged by the same keywords, and values of other kinds are now accepted too.',
  example: ex({ type: 'number', minimum: 1 }, { minimum: 1 }),
  tesseraOnly: true,
});

export const RULES: readonly RuleDefinition[] = Object.freeze(rules);

const byId = new Map(RULES.map((r) => [r.id, r] as const));

export function ruleById(id: string): RuleDefinition | undefined {
  return byId.get(id);
}

const breakingSets = new Map<string, ReadonlySet<string>>();

/** Rule ids that break backward compatibility under the policy. */
export function breakingRules(policy: 'strict' | 'lenient'): ReadonlySet<string> {
  let set = breakingSets.get(policy);
  if (!set) {
    set = new Set(RULES.filter((r) => r.backward[policy] === 'breaking').map((r) => r.id));
    breakingSets.set(policy, set);
  }
  return set;
}

/** Annotation-only rules: a release made only of these is a patch. */
export function isAnnotation(id: string): boolean {
  return byId.get(id)?.category === 'annotation';
}
