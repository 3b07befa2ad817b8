/** "Did you mean": the closest candidate by edit distance, if it is close enough to be a typo. */

export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const sub = (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur.push(Math.min(sub, (prev[j] as number) + 1, (cur[j - 1] as number) + 1));
    }
    prev = cur;
  }
  return prev[b.length] as number;
}

export function closest(input: string, candidates: readonly string[]): string | undefined {
  if (input === '') return undefined;
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    // A prefix hit (PROPERTY_REMOVED -> PROPERTY_REMOVED_FROM_...) beats a substring hit, which beats any typo;
    // the length term prefers the shortest completion.
    const extra = (c.length - input.length) / 1000;
    const score = c.startsWith(input) ? 0.25 + extra : c.includes(input) ? 0.5 + extra : editDistance(input, c);
    if (score < bestScore) {
      bestScore = score;
      best = c;
    }
  }
  // Beyond ~40% of the word changed, a suggestion is noise rather than help.
  return best !== undefined && bestScore <= Math.max(3, input.length * 0.4) ? best : undefined;
}
