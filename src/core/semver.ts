import type { Bump } from './diff/types.js';

export type SemVer = readonly [number, number, number];

export function parseSemver(v: string): SemVer {
  const [a, b, c] = v.split('.').map(Number);
  return [a ?? 0, b ?? 0, c ?? 0];
}

export function compareSemver(a: string, b: string): number {
  const x = parseSemver(a);
  const y = parseSemver(b);
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

export function bumpVersion(v: string, bump: Bump): string {
  const [major, minor, patch] = parseSemver(v);
  switch (bump) {
    case 'major':
      return `${major + 1}.0.0`;
    case 'minor':
      return `${major}.${minor + 1}.0`;
    case 'patch':
      return `${major}.${minor}.${patch + 1}`;
    case 'none':
      return v;
  }
}

/** The bump a move from `from` to `to` represents, or undefined if `to` is not greater. */
export function bumpBetween(from: string, to: string): Bump | undefined {
  const a = parseSemver(from);
  const b = parseSemver(to);
  if (compareSemver(to, from) <= 0) return undefined;
  if (b[0] > a[0]) return 'major';
  if (b[1] > a[1]) return 'minor';
  return 'patch';
}

const RANK: Record<Bump, number> = { none: 0, patch: 1, minor: 2, major: 3 };
export function bumpAtLeast(actual: Bump, required: Bump): boolean {
  return RANK[actual] >= RANK[required];
}

export function sortVersions(vs: string[]): string[] {
  return [...vs].sort(compareSemver);
}
