import type { JsonSchema } from './types.js';

export type Verdict = 'breaking' | 'compatible';

/**
 * What a change found by a rule touches, for scoped acknowledgments
 * (docs/scoped-acks.md). `field`: the column its path names (a root-level
 * `required` entry names one too); found at the table's root, it touches
 * every column. `table`: the object it is found on as a whole (content
 * model, property counts, dependencies, combinators): at the root every
 * column, inside a column that column.
 */
export type FootprintKind = 'field' | 'table';
export const FOOTPRINT_KINDS: readonly FootprintKind[] = ['field', 'table'];

/** One entry of the rule catalog: one rule, one id, one test (as buf keeps its breaking rules). */
export interface RuleDefinition {
  /** Stable UPPER_SNAKE id. Never renamed once released. */
  id: string;
  /** Grouping for listings: type, object, array, string, number, enum, combinator, reference, format, physical, annotation. */
  category: string;
  /** One line: what the change is. */
  meaning: string;
  /** What a change it finds touches: one column, or the object it is on as a whole. */
  footprint: FootprintKind;
  /** Verdict of this change under `backward`, per policy. (forward = the same rule seen from the swapped pair.) */
  backward: { strict: Verdict; lenient: Verdict };
  /** Why that verdict: which records would stop validating. */
  rationale: string;
  /** A minimal schema pair that produces this rule (under `exampleContentModel`, default closed). */
  example: { old: JsonSchema; new: JsonSchema; contentModel?: 'open' | 'closed' };
  /** Confluent difference type(s) this rule corresponds to, if any. */
  confluent?: string[];
  /** Only emitted under the tessera profile (not by Confluent). */
  tesseraOnly?: boolean;
}
