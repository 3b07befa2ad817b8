/**
 * What a human-readable notification says, once, for the Slack and email
 * formats to lay out: the title, the facts, the changes with their rule ids,
 * who still has to answer and the exact `tessera ack` commands. `data` comes
 * from git through N1's engine, so it is read defensively: a field of the
 * wrong shape is left out rather than failing the delivery.
 */
import type { z } from 'zod';
import type { changeSchema, failureSchema } from './payloads.js';
import type { Channel, NotificationEvent } from './types.js';

export type Change = z.infer<typeof changeSchema>;
export type Failure = z.infer<typeof failureSchema>;

export interface Summary {
  title: string;
  facts: Array<[label: string, value: string]>;
  /** Breaking ones first. */
  changes: Change[];
  failures: Failure[];
  /** Teams that still have to answer; empty when nobody does or the event is not about an open proposal. */
  pending: string[];
  /** `tessera ack` for each pending team this channel serves. */
  commands: string[];
  link?: string;
  footer: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

const records = (v: unknown): Array<Record<string, unknown>> => (Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null) : []);

function changesOf(v: unknown): Change[] {
  const out = records(v).flatMap((o): Change[] => {
    const rule = str(o['rule']);
    return rule ? [{ rule, path: str(o['path']) ?? '', message: str(o['message']) ?? '', breaking: o['breaking'] === true }] : [];
  });
  return [...out.filter((c) => c.breaking), ...out.filter((c) => !c.breaking)];
}

function failuresOf(v: unknown): Failure[] {
  return records(v).flatMap((o): Failure[] => {
    const test = str(o['test']);
    const column = str(o['column']);
    const message = str(o['message']);
    return test ? [{ test, ...(column ? { column } : {}), ...(message ? { message } : {}) }] : [];
  });
}

function versions(e: NotificationEvent): string {
  if (e.from_version && e.version) return `${e.from_version} → ${e.version}`;
  return e.version ?? '';
}

function titleOf(e: NotificationEvent): string {
  const asset = e.asset ?? 'an asset';
  const at = e.version ? `${asset} ${e.version}` : asset;
  const team = e.team ?? 'a team';
  switch (e.type) {
    case 'proposal.created': return `Breaking change proposed: ${asset} ${versions(e)}`.trimEnd();
    case 'proposal.superseded': return `Proposal replaced: ${at} now waits for your answer`;
    case 'proposal.acked': return `${team} approved the change to ${at}`;
    case 'proposal.blocked': return `${team} blocked the change to ${at}`;
    case 'proposal.migrating': return `${team} is migrating for the change to ${at}`;
    case 'proposal.merged': return `Breaking change merged: ${at} is live`;
    case 'proposal.withdrawn': return `Proposal withdrawn: ${at}`;
    case 'proposal.expired': return `Proposal expired: ${at} was not acknowledged in time`;
    case 'contract.forced': return `Breaking change forced: ${at}, without every acknowledgment`;
    case 'contract.published': return `New contract version: ${asset} ${versions(e)}`.trimEnd();
    case 'quality.failed': return `Quality check failed: ${at}`;
    default: return `${e.type}: ${at}`;
  }
}

/** Types about a proposal that is still open, where "who still has to answer" calls for action. */
const AWAITING = new Set(['proposal.created', 'proposal.superseded', 'proposal.acked', 'proposal.blocked', 'proposal.migrating']);

export function summarise(e: NotificationEvent, channel: Channel): Summary {
  const d = e.data;
  const facts: Array<[string, string]> = [];
  const add = (label: string, value: string | undefined) => {
    if (value) facts.push([label, value]);
  };
  add('Asset', e.asset);
  add('Version', versions(e));
  add('Proposal', e.proposal);
  add('Team', e.team);
  add('Decision', str(d['decision']));
  add('Note', str(d['note']));
  add('Reason', str(d['reason']));
  add('Owner', e.owner);
  add('By', e.actor);
  add('Expires', str(d['expires_at']));
  const required = strings(d['required_teams']);
  if (required.length) add('Required', required.join(', '));

  const pending = AWAITING.has(e.type) ? strings(d['pending']) : [];
  const served = new Set(channel.teams);
  // Scoped acknowledgments: a channel of informed teams only is told there is nothing to do.
  const informedHere = records(d['informed']).filter((o) => typeof o['team'] === 'string' && served.has(o['team']));
  const actionHere = required.some((t) => served.has(t)) || (e.owner !== undefined && served.has(e.owner));
  const fyi = informedHere.length > 0 && !actionHere;
  if (fyi) add('Action', informedHere.map((o) => `${String(o['team'])}: ${str(o['message']) ?? 'no action needed'}`).join('; '));
  const commands = e.proposal ? pending.filter((t) => served.has(t)).map((t) => `tessera ack ${e.proposal} --team ${t}`) : [];
  // ui_url comes from the registry, which anyone with push access edits: only a web link may become a button or href.
  const link = str(d['ui_url']);
  const safeLink = link && /^https?:\/\/[^\s"'<>]+$/.test(link) ? link : undefined;
  return {
    title: fyi ? `FYI, no action needed: ${titleOf(e)}` : titleOf(e),
    facts,
    changes: changesOf(d['changes']),
    failures: failuresOf(d['failures']),
    pending,
    commands,
    ...(safeLink ? { link: safeLink } : {}),
    footer: `tessera · ${e.type} · event ${e.id} · commit ${e.commit.slice(0, 12)}`,
  };
}

export function changeLine(c: Change): string {
  return `${c.breaking ? 'breaking' : 'compatible'} ${c.rule} at ${c.path || '/'}${c.message ? `: ${c.message}` : ''}`;
}

export function failureLine(f: Failure): string {
  return `${f.test}${f.column ? ` (column ${f.column})` : ''}${f.message ? `: ${f.message}` : ''}`;
}
