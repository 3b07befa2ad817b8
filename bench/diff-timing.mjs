// Shared timing loop: warm-up passes (at least one, for up to WARM_UP_MS), then as many rounds as fit a budget
// (at least 3), each timing a pass over all cases; the median round / n.
const ROUND_BUDGET_MS = 4000;
const MAX_ROUNDS = 15;
const MIN_ROUNDS = 3;
const WARM_UP_MS = 300;

/** `onPass` sees every pass (warm-up included), so a caller that stops a slow run still has data. */
export async function timeTool(fn, cases, onPass = () => {}) {
  const ok = cases.map(() => true);
  const once = async () => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < cases.length; i++) {
      try {
        await fn(cases[i]);
      } catch {
        ok[i] = false;
      }
    }
    const us = Number(process.hrtime.bigint() - t0) / 1e3;
    onPass({ us, failures: ok.filter((x) => !x).length });
    return us;
  };
  // Warm up for a while, not one pass: a case of tens of microseconds is still being compiled after one.
  const warmStart = process.hrtime.bigint();
  let first = await once();
  for (let k = 1; k < 2000 && Number(process.hrtime.bigint() - warmStart) / 1e6 < WARM_UP_MS; k++) first = Math.min(first, await once());
  const rounds = Math.max(MIN_ROUNDS, Math.min(MAX_ROUNDS, Math.floor((ROUND_BUDGET_MS * 1000) / Math.max(first, 1))));
  const times = [];
  for (let r = 0; r < rounds; r++) times.push(await once());
  return { perCase: median(times) / cases.length, rounds, failures: ok.filter((x) => !x).length };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
