/** The plan cache moved to the use-case layer (src/app/sync-dbt/plan-cache.ts); this name stays for the tests that import it. */
export * from '../../app/sync-dbt/plan-cache.js';
