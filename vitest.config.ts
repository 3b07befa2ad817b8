import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cpus: one worker on these 2-cpu machines. The tests
    // mostly wait on the git and tessera processes they start, so two files at a time keep both cpus busy.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
