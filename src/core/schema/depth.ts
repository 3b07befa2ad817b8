import { MAX_NESTING_DEPTH } from './limits.js';

/**
 * Nesting guards. The value check runs on every parsed document; the text
 * pre-scan runs before the YAML parser only, because `yaml` exhausts memory
 * (not merely the stack) on ~100k nested flow brackets, and spends seconds
 * on long runs of compact `- - - -` sequences.
 */

/** JSON pointer of the first node nested deeper than the limit, or undefined. */
export function findTooDeep(value: unknown, limit = MAX_NESTING_DEPTH): string | undefined {
  // Recursion is bounded by `limit`, so the stack stays small however deep the input is.
  const walk = (v: unknown, depth: number, path: string[]): string[] | undefined => {
    if (v === null || typeof v !== 'object') return undefined;
    if (depth > limit) return path;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const hit = walk(v[i], depth + 1, [...path, String(i)]);
        if (hit) return hit;
      }
    } else {
      for (const [k, child] of Object.entries(v)) {
        const hit = walk(child, depth + 1, [...path, k]);
        if (hit) return hit;
      }
    }
    return undefined;
  };
  const hit = walk(value, 1, []);
  return hit ? shortPointer(hit) : undefined;
}

function shortPointer(segments: string[]): string {
  const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
  const shown = segments.slice(0, 6).map(esc);
  return '/' + shown.join('/') + (segments.length > 6 ? '/…' : '');
}

/**
 * Upper bound on the nesting the YAML parser would build from flow brackets
 * and compact block sequences. Deliberately ignores quoting: an attacker must
 * not be able to hide brackets from the scan with a stray quote.
 */
export function textNestingEstimate(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      if (++depth > max) max = depth;
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) {
      depth--;
    }
  }
  const compact = /^[ \t]*(?:[-?][ \t]+){2,}/gm;
  for (let m = compact.exec(text); m; m = compact.exec(text)) {
    const runs = m[0].replace(/[ \t]/g, '').length;
    if (runs > max) max = runs;
  }
  return max;
}
