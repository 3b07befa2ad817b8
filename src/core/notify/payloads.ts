/**
 * The webhook payload of each notified event type, as zod: the one source of
 * the JSON Schemas in schemas/events/ (scripts/gen-event-schemas.mjs) and of
 * the data shapes docs/notifications.md describes. Objects stay open: adding
 * a field does not bump EVENT_JSON_VERSION, so receivers must ignore keys they
 * do not know; removing one or changing its meaning does.
 */
import { z } from 'zod';
import { EVENT_JSON_VERSION } from './webhook.js';

const teams = z.array(z.string()).describe('team names');

export const changeSchema = z.object({
  rule: z.string().describe('the rule id, as in `tessera rules`'),
  path: z.string().describe('JSON Pointer into the schema'),
  message: z.string(),
  breaking: z.boolean(),
});

export const failureSchema = z.object({
  test: z.string().describe('the dbt test'),
  column: z.string().optional(),
  message: z.string().optional(),
});

/** Fields every event's `data` carries (NotificationEvent's own, after the type-specific ones). */
const common = {
  schema_version: z.literal(EVENT_JSON_VERSION),
  id: z.string().min(1).describe('the webhook-id: stable for this event on every attempt and machine; deduplicate on it'),
  at: z.string().describe('ISO time of the commit that carries the event'),
  actor: z.string().describe('author of that commit'),
  commit: z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/).describe('the commit (sha-1 or sha-256)'),
  asset: z.string().optional(),
  version: z.string().optional().describe('the version the event is about (the proposed one for proposals)'),
  from_version: z.string().optional().describe('the version before it'),
  proposal: z.string().optional().describe('proposal id, p-…'),
  team: z.string().optional().describe('the team that acted (acks)'),
  owner: z.string().optional().describe("the asset's owner team"),
  audience: teams.describe('the teams this event is for'),
  ui_url: z.string().optional().describe("a link to the event's page in the web UI, when tessera.yaml names a UI base URL"),
};

const informedSchema = z.object({
  team: z.string(),
  fields: z.array(z.string()).describe('the fields the team declared'),
  message: z.string().describe('"no action needed: you declared fields a, b"'),
});
const open = {
  changes: z.array(changeSchema),
  required_teams: teams,
  pending: teams.describe('required teams that have not approved yet'),
  expires_at: z.string().optional(),
  footprint: z.array(z.string()).optional().describe('what the breaking changes touch: column paths (a, a.b), or "*" for the whole table; absent when every consumer is required (policy.strict_acks, or a proposal older than scoped acknowledgments)'),
  informed_teams: teams.optional().describe('consumers told of the proposal but not waited for: their declared fields miss the footprint; they are in the audience, not in required_teams'),
  informed: z.array(informedSchema).optional().describe('one entry per informed team: its declared fields and its message'),
};
const answer = { team: z.string(), proposal: z.string(), decision: z.enum(['approve', 'migrating', 'block']).optional(), note: z.string().optional(), required_teams: teams.optional(), pending: teams };

const data = (extra: z.ZodRawShape) => z.looseObject({ ...common, ...extra });

/** `data` per event type; the types absent here are not notified (docs/notifications.md, "Audiences"). */
export const EVENT_DATA = {
  'proposal.created': data({ asset: z.string(), version: z.string(), proposal: z.string(), ...open }),
  'proposal.superseded': data({ asset: z.string(), version: z.string(), proposal: z.string(), ...open, superseded: z.string().optional().describe('the proposal this one replaces') }),
  'proposal.acked': data({ asset: z.string(), ...answer }),
  'proposal.blocked': data({ asset: z.string(), ...answer }),
  'proposal.migrating': data({ asset: z.string(), ...answer }),
  'proposal.merged': data({ asset: z.string(), version: z.string(), proposal: z.string(), required_teams: teams.optional() }),
  'proposal.withdrawn': data({ asset: z.string(), proposal: z.string(), required_teams: teams.optional(), reason: z.string().optional() }),
  'proposal.expired': data({ asset: z.string(), proposal: z.string(), required_teams: teams.optional(), pending: teams.optional(), expires_at: z.string().optional() }),
  'contract.forced': data({ asset: z.string(), version: z.string(), reason: z.string(), changes: z.array(changeSchema).optional(), required_teams: teams.optional(), pending: teams.optional() }),
  'contract.published': data({ asset: z.string(), version: z.string(), changes: z.array(changeSchema).optional() }),
  'quality.failed': data({ asset: z.string(), failures: z.array(failureSchema) }),
} as const;

export type NotifiedType = keyof typeof EVENT_DATA;

/** The type of `tessera notify --remind`'s digest: not a domain event (nothing in git carries it), but sent like one. */
export const DIGEST_TYPE = 'reminder.digest';

export const digestItemSchema = z.object({
  proposal: z.string().describe('proposal id, p-…'),
  asset: z.string(),
  from_version: z.string(),
  to_version: z.string(),
  created_at: z.string(),
  expires_at: z.string(),
  expires_soon: z.boolean().describe('true when it expires within 3 days of the digest'),
  breaking_rules: z.array(z.string()).describe('rule ids of its breaking changes, as in `tessera rules`'),
  ack_command: z.string().describe('the exact command that approves it for this team'),
});

/**
 * A digest has no commit of its own: `commit` is the main commit it was read
 * from, `actor` whoever ran the reminder, and `id` is stable per team, UTC day
 * and set of proposals, so a second run the same day repeats the webhook-id.
 */
const digestData = z.looseObject({
  ...common,
  team: z.string().describe('the team the digest is for'),
  older_than_seconds: z.number().int().min(0).describe('only proposals created at least this long ago are listed'),
  proposals: z.array(digestItemSchema).min(1),
});

/** Every webhook payload `data`, events and the digest: what schemas/events/ holds. */
export const PAYLOAD_DATA = { ...EVENT_DATA, [DIGEST_TYPE]: digestData } as const;

export type PayloadType = keyof typeof PAYLOAD_DATA;

/** The whole webhook body of one type: `{type, timestamp, data}`. */
export function payloadSchema(type: PayloadType) {
  return z.object({ type: z.literal(type), timestamp: z.string(), data: PAYLOAD_DATA[type] });
}
