/**
 * Owners and consumers from dbt's own conventions. See docs/dbt.md, "Owners
 * and consumers", for the order and the reasons.
 */
import type { DbtExposure, DbtGroup, DbtNode } from './manifest.js';
import { isEmail, teamSlug } from './ids.js';

export interface TeamRef {
  team: string;
  /** An email known to belong to the team (group owner, exposure owner, an email given as owner). */
  email?: string;
  contact?: string;
  origin: string;
}

type Meta = Record<string, unknown> | null | undefined;

function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/**
 * An owner value as dbt projects write it: "Finance", "@drew", "jane@corp.com",
 * or { name, email } / { team }. Returns undefined (and the caller warns) when
 * nothing usable is in it.
 */
export function ownerValue(v: unknown, origin: string): TeamRef | undefined {
  if (typeof v === 'string') {
    const team = teamSlug(v);
    if (!team) return undefined;
    return isEmail(v) ? { team, email: v.trim().toLowerCase(), origin } : { team, origin };
  }
  const o = obj(v);
  if (!o) return undefined;
  const email = typeof o['email'] === 'string' && isEmail(o['email']) ? o['email'].trim().toLowerCase() : undefined;
  const named = [o['team'], o['name']].find((x): x is string => typeof x === 'string' && teamSlug(x) !== undefined);
  const team = teamSlug(named ?? email);
  if (!team) return undefined;
  return email ? { team, email, origin } : { team, origin };
}

function contactOf(...metas: Meta[]): string | undefined {
  for (const m of metas) {
    const c = m?.['contact'] ?? obj(m?.['tessera'])?.['contact'];
    if (typeof c === 'string' && c.trim()) return c.trim();
    const o = obj(c);
    for (const k of ['email', 'slack', 'url', 'channel']) {
      const v = o?.[k];
      if (typeof v === 'string' && v.trim()) return v.trim();
    }
  }
  return undefined;
}

export interface OwnerResult {
  owner?: TeamRef;
  /** Owner values present but unusable (for a warning). */
  rejected: string[];
}

/**
 * The owning team of an asset node: meta.tessera.owner, meta.owner,
 * config.meta.owner (for sources also the source-level meta), then the
 * node's group (team = group name, member = group owner's email).
 */
export function nodeOwner(node: DbtNode, groups: ReadonlyMap<string, DbtGroup>): OwnerResult {
  const uid = node.unique_id ?? '?';
  const meta = node.meta;
  const cmeta = node.config?.meta;
  const smeta = node.source_meta;
  const candidates: Array<[unknown, string]> = [
    [obj(meta?.['tessera'])?.['owner'], 'meta.tessera.owner'],
    [obj(cmeta?.['tessera'])?.['owner'], 'config.meta.tessera.owner'],
    [meta?.['owner'], 'meta.owner'],
    [cmeta?.['owner'], 'config.meta.owner'],
    [obj(smeta?.['tessera'])?.['owner'], 'source_meta.tessera.owner'],
    [smeta?.['owner'], 'source_meta.owner'],
  ];
  const rejected: string[] = [];
  for (const [v, where] of candidates) {
    if (v === undefined || v === null) continue;
    const ref = ownerValue(v, `${where} of ${uid}`);
    if (!ref) {
      rejected.push(`${where} of ${uid}`);
      continue;
    }
    const contact = contactOf(meta, cmeta, smeta);
    return { owner: contact ? { ...ref, contact } : ref, rejected };
  }
  const groupName = node.group ?? node.config?.group;
  const group = groupName ? groups.get(groupName) : undefined;
  if (group) {
    const team = teamSlug(group.name);
    if (team) {
      const rawEmail = group.owner?.email;
      const email = typeof rawEmail === 'string' && isEmail(rawEmail) ? rawEmail.trim().toLowerCase() : undefined;
      const origin = `group ${group.unique_id ?? group.name}`;
      return { owner: email ? { team, email, origin } : { team, origin }, rejected };
    }
    rejected.push(`group ${groupName} of ${uid}`);
  }
  return { rejected };
}

/** Teams listed in meta.tessera.consumers (a list of names, or of { team }). */
export function metaConsumers(node: DbtNode): { refs: TeamRef[]; rejected: string[]; entries: unknown[] } {
  const uid = node.unique_id ?? '?';
  const refs: TeamRef[] = [];
  /** The raw entry behind each ref (same index), for its `fields`. */
  const entries: unknown[] = [];
  const rejected: string[] = [];
  for (const [m, where] of [
    [node.meta, 'meta.tessera.consumers'],
    [node.config?.meta, 'config.meta.tessera.consumers'],
  ] as const) {
    const raw = obj(m?.['tessera'])?.['consumers'];
    if (raw === undefined || raw === null) continue;
    for (const v of Array.isArray(raw) ? raw : [raw]) {
      const ref = ownerValue(v, `${where} of ${uid}`);
      if (ref) {
        refs.push(ref);
        entries.push(v);
      } else rejected.push(`${where} of ${uid}`);
    }
  }
  return { refs, rejected, entries };
}

/**
 * The team behind an exposure: an explicit team in meta (meta.tessera.owner,
 * meta.owner, config.meta.owner) wins over the structured `owner`, which in
 * dbt names a person.
 */
export function exposureOwner(exp: DbtExposure): TeamRef | undefined {
  const uid = exp.unique_id ?? exp.name ?? '?';
  const meta = exp.meta;
  const cmeta = exp.config?.meta;
  const candidates: Array<[unknown, string]> = [
    [obj(meta?.['tessera'])?.['owner'], 'meta.tessera.owner'],
    [obj(cmeta?.['tessera'])?.['owner'], 'config.meta.tessera.owner'],
    [meta?.['owner'], 'meta.owner'],
    [cmeta?.['owner'], 'config.meta.owner'],
    [exp.owner, 'owner'],
  ];
  for (const [v, where] of candidates) {
    if (v === undefined || v === null) continue;
    const ref = ownerValue(v, `${where} of ${uid}`);
    if (ref) return ref;
  }
  return undefined;
}

/** Accumulates teams in a deterministic order; the first origin seen is kept. */
export class TeamBook {
  private readonly teams = new Map<string, { members: Set<string>; contact?: string; origin: string }>();

  add(ref: TeamRef): void {
    let t = this.teams.get(ref.team);
    if (!t) {
      t = { members: new Set(), origin: ref.origin };
      this.teams.set(ref.team, t);
    }
    if (ref.email) t.members.add(ref.email);
    if (ref.contact && t.contact === undefined) t.contact = ref.contact;
  }

  list(only?: ReadonlySet<string>): Array<{ name: string; members: string[]; contact?: string; origin: string }> {
    return [...this.teams.entries()]
      .filter(([name]) => !only || only.has(name))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, t]) => {
        const team: { name: string; members: string[]; contact?: string; origin: string } = {
          name,
          members: [...t.members].sort(),
          origin: t.origin,
        };
        if (t.contact !== undefined) team.contact = t.contact;
        return team;
      });
  }
}
