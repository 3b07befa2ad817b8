/**
 * The public shape of the schema diff engine. Everything in src/core/diff is
 * pure: values in, values out, no I/O.
 */

/** A JSON Schema document (draft-07, 2019-09 or 2020-12), or a boolean schema. */
export type JsonSchema = boolean | { [key: string]: unknown };

export const MODES = [
  'backward',
  'forward',
  'full',
  'none',
  'backward_transitive',
  'forward_transitive',
  'full_transitive',
  'consumer',
  'consumer_transitive',
] as const;
export type Mode = (typeof MODES)[number];

export const CONTENT_MODELS = ['open', 'closed'] as const;
/** What an object's unlisted properties mean when the schema does not say. */
export type ContentModel = (typeof CONTENT_MODELS)[number];

export const POLICIES = ['strict', 'lenient'] as const;
/** Confluent's compatibility policy (LENIENT accepts more object changes). */
export type Policy = (typeof POLICIES)[number];

export const PROFILES = ['tessera', 'confluent'] as const;
/** `confluent` reproduces Confluent exactly; `tessera` adds format judgement and rename hints. */
export type Profile = (typeof PROFILES)[number];

/**
 * The question a mode asks of each change. backward: does the new schema
 * accept every record the old one did (new readers, old data)? forward: the
 * reverse (old readers, new data). consumer: can an old reader that selects
 * columns by name still read every new row (forward on values, but a dropped
 * column always breaks and an added one never does)?
 */
export type Check = 'backward' | 'forward' | 'consumer';

export type Bump = 'major' | 'minor' | 'patch' | 'none';

export interface DiffOptions {
  mode: Mode;
  contentModel: ContentModel;
  policy: Policy;
  profile: Profile;
}

export const DEFAULT_DIFF_OPTIONS: DiffOptions = {
  mode: 'backward',
  contentModel: 'closed',
  policy: 'strict',
  profile: 'tessera',
};

/** One difference between two schemas. */
export interface Change {
  /** Stable UPPER_SNAKE rule id from the catalog, e.g. PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL. */
  rule: string;
  /** JSON pointer into the schemas where the difference was found, e.g. "/properties/email". */
  path: string;
  old?: unknown;
  new?: unknown;
  /** One human sentence. */
  message: string;
  /** Whether this change breaks the requested mode (policy and content model applied). */
  breaking: boolean;
  /**
   * Which check(s) of the mode this change fails. For backward: ['backward'];
   * for full a change may break 'backward', 'forward' or both; for consumer:
   * ['consumer'] (old readers of new rows, selecting columns by name).
   */
  breaks?: Check[];
  /** For transitive modes: the index (0 = oldest) of the earlier version this change was found against. */
  against?: number;
}

export interface CompatibilityReport {
  mode: Mode;
  /** True when no change is breaking under the mode. */
  compatible: boolean;
  changes: Change[];
  /** Suggested semver bump: major if breaking, minor if the new schema accepts more, patch for annotation-only, none if equal. */
  bump: Bump;
  /** Human hints that are not rules, e.g. "looks like a rename of email to email_address". */
  hints: string[];
}
