/** The schema diff engine: pure functions over JSON Schema values. */
export { diffSchemas } from './engine.js';
export { checkCompatibility } from './report.js';
export { RULES, ruleById } from './catalog.js';
export * from './types.js';
export type { RuleDefinition, Verdict } from './catalog-types.js';
export { verdictsOf, VERDICT_MODES, type ModeVerdicts, type VerdictMode } from './verdicts.js';
