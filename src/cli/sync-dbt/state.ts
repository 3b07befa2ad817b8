/** The sync's registry reader moved to the use-case layer (src/app/sync-dbt/state.ts); this name stays for the tests that import it. */
export * from '../../app/sync-dbt/state.js';
