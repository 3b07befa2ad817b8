/** The dbt layer's public API: parsed JSON in, plans and events out (no I/O). */
export { parseManifest, readManifestMetadata, artifactVersion, MIN_MANIFEST_VERSION, MAX_TESTED_MANIFEST_VERSION } from './manifest.js';
export type { DbtManifest, DbtNode, DbtColumn, DbtExposure, DbtGroup, DbtConstraint } from './manifest.js';
export { planFromManifest, manifestHeader } from './plan.js';
export { manifestFingerprint, PLANNING_METADATA_FIELDS } from './fingerprint.js';
export type { ManifestFingerprint } from './fingerprint.js';
export type { DbtPlan, DbtAssetPlan, DbtTeamPlan, DbtAssetKind, PlanOptions } from './plan.js';
export { qualityEventsFromRunResults, parseRunResults } from './run-results.js';
export type { QualityEventsResult } from './run-results.js';
export { mapColumnType, TYPE_TABLE } from './types.js';
export type { TypeRow, TypeGroup, TypeMapping } from './types.js';
export { relationId, teamSlug } from './ids.js';
