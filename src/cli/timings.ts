/**
 * Phase timings on stderr when TESSERA_TIMINGS=1: where a slow command spends
 * its time, without a profiler. Costs one env lookup when off. The use-case
 * layer never prints: the cli hands it this function as its `phase` sink
 * (src/app/sync-dbt.ts), so each line is printed when its phase ends.
 */
const enabled = process.env.TESSERA_TIMINGS === '1';
let last = performance.now();

export function phase(label: string): void {
  if (!enabled) return;
  const now = performance.now();
  const heap = process.memoryUsage().heapUsed / 1e6;
  process.stderr.write(`tessera: timing ${label.padEnd(28)} ${(now - last).toFixed(0).padStart(5)} ms  (at ${now.toFixed(0)} ms, heap ${heap.toFixed(0)} MB)\n`);
  last = now;
}
