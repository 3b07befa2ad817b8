/**
 * Scoped acknowledgments (issue 16, docs/scoped-acks.md): which consumers a
 * proposal requires, which it only informs, and the fingerprint each team's
 * ack answers. Pure; shared by publish, ack, merge, the readers, sync-dbt and
 * verify, so they all decide alike.
 */
import { createHash } from 'node:crypto';
import { canonical, isObject } from '../diff/json.js';
import type { Ack, ChangeRecord, Proposal } from '../model.js';
import { ALL, footprintOf, footprintOfChanges, scopeMeets } from './footprint.js';

/** A consumer registration as scoping reads it: the team, its declared fields, the proposals it stays required for. */
export interface ConsumerScope {
  team: string;
  fields?: string[] | undefined;
  required_for?: string[] | undefined;
}

export interface TeamScope {
  team: string;
  required: boolean;
  /** The fields it declared (absent: every field). */
  fields?: string[];
  /** The footprints its fields meet. */
  meets: string[];
  /** Why it is required or only informed, in one phrase. */
  reason: string;
}

export type ScopeRecord = NonNullable<Proposal['scope']>;

const declared = (fields: readonly string[] | undefined): fields is string[] => fields !== undefined && fields.length > 0;

/** A digest per top-level column of the proposed schema (its subschema, and whether it is required). */
export function columnDigests(schema: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(schema) || !isObject(schema.properties)) return out;
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  for (const name of Object.keys(schema.properties).sort()) {
    out[name] = createHash('sha256').update(canonical([schema.properties[name], required.has(name)])).digest('hex').slice(0, 12);
  }
  return out;
}

/** The scope record of a new proposal: its footprint and the column digests of what it proposes. */
export function scopeRecord(changes: readonly ChangeRecord[], schema: unknown): ScopeRecord {
  return { footprint: footprintOfChanges(changes), columns: columnDigests(schema) };
}

const list = (xs: readonly string[]) => xs.join(', ');

/** Whether scoping applies: the proposal recorded a scope and the registry does not insist on every ack. */
export function scopingOn(proposal: Pick<Proposal, 'scope'>, strict: boolean | undefined): boolean {
  return proposal.scope !== undefined && !strict;
}

/**
 * Each consumer's standing on a proposal. Required: scoping is off; it
 * declared no fields; its fields meet the footprint; it was required when the
 * proposal was created (`required_teams`), or it narrowed its fields while
 * the proposal was open (`required_for`). Narrowing never drops a team.
 */
export function evaluateTeams(proposal: Pick<Proposal, 'id' | 'scope' | 'required_teams'>, consumers: readonly ConsumerScope[], strict?: boolean): TeamScope[] {
  const byTeam = new Map<string, ConsumerScope>();
  for (const c of consumers) byTeam.set(c.team, c);
  const scoped = scopingOn(proposal, strict);
  const footprint = proposal.scope?.footprint ?? [ALL];
  const atCreation = new Set(proposal.required_teams);
  return [...byTeam.values()]
    .sort((a, b) => (a.team < b.team ? -1 : a.team > b.team ? 1 : 0))
    .map((c): TeamScope => {
      const base = { team: c.team, ...(declared(c.fields) ? { fields: [...c.fields] } : {}) };
      if (!scoped) return { ...base, required: true, meets: footprint, reason: strict ? 'policy.strict_acks: every consumer acknowledges' : 'every consumer acknowledges this proposal' };
      if (!declared(c.fields)) return { ...base, required: true, meets: footprint, reason: 'declared no fields: every change concerns it' };
      const meets = scopeMeets(c.fields, footprint);
      const touches = footprint[0] === ALL ? 'the whole table' : list(footprint);
      if (meets.length > 0) return { ...base, required: true, meets, reason: `declared ${list(c.fields)}; the change touches ${meets[0] === ALL ? 'the whole table' : list(meets)}` };
      if (atCreation.has(c.team)) return { ...base, required: true, meets, reason: `required when the proposal was made; it has narrowed its fields to ${list(c.fields)} since` };
      if (c.required_for?.includes(proposal.id)) return { ...base, required: true, meets, reason: `required before it narrowed its fields to ${list(c.fields)}` };
      return { ...base, required: false, meets, reason: `no action needed: you declared fields ${list(c.fields)}; the change touches ${touches}` };
    });
}

/** Every field a is covered by one of `by` (the same, or nested in it). */
function covers(by: readonly string[], fields: readonly string[]): boolean {
  return fields.every((f) => by.some((b) => f === b || f.startsWith(b + '.')));
}

/**
 * The fingerprint a team's ack answers. Unscoped (scoping off, or no
 * fields): the proposal's own, over every change and the whole schema.
 * Scoped: the breaking changes whose footprint its fields meet and the
 * digests of the columns it reads, so a supersede that only changes other
 * columns leaves its ack standing.
 */
export function teamFingerprint(proposal: Pick<Proposal, 'asset' | 'to_version' | 'changes' | 'fingerprint' | 'scope'>, fields: readonly string[] | undefined, strict?: boolean): string {
  if (!scopingOn(proposal, strict) || !declared(fields)) return proposal.fingerprint;
  const sorted = [...new Set(fields)].sort();
  const inScope = proposal.changes
    .filter((c) => c.breaking && scopeMeets(sorted, [footprintOf(c)]).length > 0)
    .map((c) => `${c.rule} ${c.path}`)
    .sort();
  const columns = proposal.scope!.columns;
  const tops = [...new Set(sorted.map((f) => (f in columns ? f : f.split('.')[0]!)))].sort();
  const digests = tops.map((t) => [t, columns[t] ?? null]);
  return createHash('sha256').update(JSON.stringify(['scoped', proposal.asset, proposal.to_version, sorted, inScope, digests])).digest('hex').slice(0, 16);
}

/**
 * Whether an ack answers the proposal as it stands, for a team declaring
 * `fields` now: the proposal's own fingerprint answers everything; a scoped
 * ack answers while its fields still cover the team's and the changes and
 * columns in them are the same.
 */
export function ackCurrent(proposal: Pick<Proposal, 'asset' | 'to_version' | 'changes' | 'fingerprint' | 'scope'>, ack: Pick<Ack, 'fingerprint' | 'fields'>, fields: readonly string[] | undefined, strict?: boolean): boolean {
  if (ack.fingerprint === proposal.fingerprint) return true;
  if (!scopingOn(proposal, strict) || !declared(fields) || !declared(ack.fields)) return false;
  return covers(ack.fields, fields) && ack.fingerprint === teamFingerprint(proposal, ack.fields, strict);
}
