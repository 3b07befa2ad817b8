/**
 * Typed errors. Every failure a user can cause or meet carries the exit code
 * the CLI must return and a one-line message that says what went wrong and,
 * where we know it, what to do about it.
 *
 * Exit codes (documented in README and `tessera --help`):
 *   0 ok
 *   1 a policy finding (breaking change, missing acks, verify violations)
 *   2 bad usage or bad input
 *   3 git or registry failure
 */
export const ExitCode = {
  Ok: 0,
  Finding: 1,
  Usage: 2,
  Registry: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class TesseraError extends Error {
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  constructor(message: string, exitCode: ExitCode, hint?: string) {
    super(message);
    this.name = 'TesseraError';
    this.exitCode = exitCode;
    this.hint = hint;
  }
  /** The single line shown to the user. */
  oneLine(): string {
    return this.hint ? `${this.message} (${this.hint})` : this.message;
  }
}

/** What kind of bad input, for adapters that answer by kind (HTTP 404) rather than by wording. */
export type InputErrorCode = 'not_found';

/** Bad input: an unreadable file, invalid YAML, an invalid schema, an unknown team. */
export class InputError extends TesseraError {
  readonly code: InputErrorCode | undefined;
  constructor(message: string, hint?: string, code?: InputErrorCode) {
    super(message, ExitCode.Usage, hint);
    this.name = 'InputError';
    this.code = code;
  }
}

/** Git or registry failure: a remote that is down, a corrupt registry, too many push retries. */
export class RegistryError extends TesseraError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.Registry, hint);
    this.name = 'RegistryError';
  }
}

/** A policy refusal: a breaking change without a proposal, missing acks. */
export class PolicyError extends TesseraError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.Finding, hint);
    this.name = 'PolicyError';
  }
}

/**
 * The schema diff gave up: the pair needs more node comparisons than the
 * budget allows (docs/diff-semantics.md, "Performance"). Exit 2: the input,
 * not the change, is the problem, and a verdict we could not finish must not
 * read as "compatible".
 */
export class SchemaTooComplexError extends InputError {
  readonly budget: number;
  /** `budget` comparisons were not enough; 0: the walk nested deeper than the stack allows. */
  constructor(budget: number) {
    const why = budget > 0 ? `more than ${budget} subschema comparisons` : 'subschemas nest deeper than the comparison can follow';
    super(`schema too complex to compare: ${why}`, 'simplify the schema (deeply shared recursive unions), or compare smaller parts');
    this.name = 'SchemaTooComplexError';
    this.budget = budget;
  }
}
