/**
 * The registry's own gate, as pure rules. registry/verify.ts walks the main
 * branch's history and asks these questions of each commit.
 */
import type { Ack, Consumer, KeyFile, Version } from './model.js';
import { parseKeyEmail } from './keys.js';
import { footprintOfChanges, scopeMeets } from './scope/footprint.js';

/**
 * The teams a proposal merge needed, recomputed rather than read from the
 * proposal record (which the merger writes): from the breaking changes the
 * verifier found itself, the registrations when the proposal was created and
 * at the merge. A team is required when scoping is off (policy.strict_acks
 * at either point, or a record without a scope), when it declares no fields,
 * when its fields met the footprint at creation or at the merge, or when it
 * narrowed its fields during the proposal (required_for).
 */
export function requiredAtMerge(input: {
  proposal: string;
  strict: boolean;
  changes: ReadonlyArray<{ rule: string; path: string; breaking: boolean }>;
  atCreation: ReadonlyMap<string, Pick<Consumer, 'fields'>>;
  atMerge: ReadonlyMap<string, Pick<Consumer, 'fields' | 'required_for'>>;
}): { required: string[]; informed: string[] } {
  const footprint = footprintOfChanges(input.changes);
  const meets = (c: Pick<Consumer, 'fields'> | undefined) => c !== undefined && scopeMeets(c.fields, footprint).length > 0;
  const required: string[] = [];
  const informed: string[] = [];
  for (const [team, c] of [...input.atMerge].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const needed = input.strict || meets(c) || meets(input.atCreation.get(team)) || (c.required_for ?? []).includes(input.proposal);
    (needed ? required : informed).push(team);
  }
  return { required, informed };
}

export type ViolationKind = 'invalid-file' | 'immutable-version' | 'unapproved-breaking-change' | 'forged-ack' | 'unsigned-commit';

export interface Violation {
  kind: ViolationKind;
  commit: string;
  path?: string;
  message: string;
}

/** Which zod schema a registry path must satisfy, or undefined for files Tessera does not own. */
export type FileKind = 'config' | 'team' | 'asset' | 'version' | 'consumer' | 'proposal' | 'key' | 'channel';

export function fileKindOf(path: string): FileKind | undefined {
  if (path === 'tessera.yaml') return 'config';
  if (/^teams\/[^/]+\.yaml$/.test(path)) return 'team';
  if (/^assets\/[^/]+\/asset\.yaml$/.test(path)) return 'asset';
  if (/^assets\/[^/]+\/versions\/[^/]+\.yaml$/.test(path)) return 'version';
  if (/^assets\/[^/]+\/consumers\/[^/]+\.yaml$/.test(path)) return 'consumer';
  if (/^proposals\/[^/]+\.yaml$/.test(path)) return 'proposal';
  if (/^keys\/[^/]+\.yaml$/.test(path)) return 'key';
  if (/^channels\/[^/]+\.yaml$/.test(path)) return 'channel';
  return undefined;
}

/** The name a file's path implies (team name, asset id), which its content must repeat. */
export function pathIdentity(path: string): { field: string; value: string } | undefined {
  let m = /^teams\/([^/]+)\.yaml$/.exec(path);
  if (m) return { field: 'name', value: m[1]! };
  m = /^assets\/([^/]+)\/asset\.yaml$/.exec(path);
  if (m) return { field: 'id', value: m[1]! };
  m = /^assets\/([^/]+)\/versions\/([^/]+)\.yaml$/.exec(path);
  if (m) return { field: 'version', value: m[2]! };
  m = /^assets\/[^/]+\/consumers\/([^/]+)\.yaml$/.exec(path);
  if (m) return { field: 'team', value: m[1]! };
  m = /^proposals\/([^/]+)\.yaml$/.exec(path);
  if (m) return { field: 'id', value: m[1]! };
  m = /^keys\/([^/]+)\.yaml$/.exec(path);
  if (m) return { field: 'id', value: m[1]! };
  m = /^channels\/([^/]+)\.yaml$/.exec(path);
  if (m) return { field: 'name', value: m[1]! };
  return undefined;
}

/**
 * Why the author of an ack commit could not ack for `team`, or undefined when
 * they could: a person must be a member; a key's identity (core/keys.ts) must
 * be a key of that team, named by the commit's `Tessera-Key` trailer, neither
 * revoked nor expired when the ack was made (`at`). `key` is the key file the
 * address names, as the registry had it.
 */
export function ackerRefusal(input: { team: string; members: readonly string[]; authorEmail: string; keyTrailer: string | undefined; key: KeyFile | undefined; at: string }): string | undefined {
  const address = parseKeyEmail(input.authorEmail);
  if (!address) return input.members.includes(input.authorEmail) ? undefined : `not a member of ${input.team}`;
  const { keyId } = address;
  if (input.keyTrailer !== keyId) return `without the Tessera-Key: ${keyId} trailer its address claims`;
  const key = input.key;
  if (!key || key.id !== keyId) return `with unknown key ${keyId}`;
  if (key.team !== input.team || address.team !== key.team) return `with key ${keyId} of team ${key.team}, not of ${input.team}`;
  const at = new Date(input.at);
  if (key.revoked_at !== undefined && new Date(key.revoked_at).getTime() <= at.getTime()) return `with key ${keyId}, revoked at ${key.revoked_at}`;
  if (key.expires_at !== undefined && new Date(key.expires_at).getTime() <= at.getTime()) return `with key ${keyId}, expired at ${key.expires_at}`;
  return undefined;
}

/** Ack entries a change adds to a consumer file. */
export function newAcks(before: Consumer | undefined, after: Consumer): Ack[] {
  const seen = new Set((before?.acks ?? []).map((a) => JSON.stringify(a)));
  return after.acks.filter((a) => !seen.has(JSON.stringify(a)));
}

export interface ArrivalFacts {
  commit: string;
  path: string;
  version: Version;
  breaking: boolean;
  breakingRules: string[];
  consumersAtParent: string[];
  /**
   * For a proposal merge: the registered teams whose acks it needed, as
   * recomputed by requiredAtMerge (scoped acknowledgments); absent: every
   * team in consumersAtParent.
   */
  requiredTeams?: string[];
  ownerMembers: string[];
  authorEmail: string;
  isProposalMerge: boolean;
  mergeProposalId: string | undefined;
  /** For a proposal merge: each required team -> whether an approving, member-authored ack for the right fingerprint backs it. */
  teamBacking: Map<string, { ok: boolean; why?: string }>;
  proposalWithoutConsumers: boolean;
}

/** May this new version be on main? */
export function judgeArrival(f: ArrivalFacts): Violation | undefined {
  if (!f.breaking) return undefined;
  const v = f.version;
  const what = `${v.asset} ${v.version} is breaking (${f.breakingRules.slice(0, 3).join(', ')}${f.breakingRules.length > 3 ? ', …' : ''})`;
  if (f.consumersAtParent.length === 0 && !f.proposalWithoutConsumers) return undefined;
  if (v.via === 'forced') {
    if (!v.forced?.reason?.trim()) return { kind: 'unapproved-breaking-change', commit: f.commit, path: f.path, message: `${what} and was forced without a reason` };
    if (!f.ownerMembers.includes(f.authorEmail)) return { kind: 'unapproved-breaking-change', commit: f.commit, path: f.path, message: `${what} and was forced by ${f.authorEmail}, who is not a member of the owner team` };
    return undefined;
  }
  if (v.via === 'proposal' && f.isProposalMerge && f.mergeProposalId === v.proposal) {
    const missing = (f.requiredTeams ?? f.consumersAtParent).filter((t) => !f.teamBacking.get(t)?.ok);
    if (missing.length === 0) return undefined;
    return { kind: 'unapproved-breaking-change', commit: f.commit, path: f.path, message: `${what} and merged without valid acks from ${missing.map((t) => `${t}${f.teamBacking.get(t)?.why ? ` (${f.teamBacking.get(t)!.why})` : ''}`).join(', ')}` };
  }
  return {
    kind: 'unapproved-breaking-change',
    commit: f.commit,
    path: f.path,
    message: `${what} and reached main without a proposal acked by ${f.consumersAtParent.join(', ')} or a forced publish with a reason`,
  };
}
