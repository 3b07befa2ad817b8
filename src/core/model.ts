/**
 * The registry's file kinds (format 1) as zod schemas. Every file Tessera
 * reads or writes goes through one of these. See docs/registry-format.md.
 */
import { z } from 'zod';
import { MODES, CONTENT_MODELS } from './diff/types.js';

export const REGISTRY_FORMAT = 1;

const isoTime = z.string().min(1);
const email = z.string().min(3).max(320);

/** Lower-case, filesystem- and ref-safe. Dots allowed (dbt relations are db.schema.table) but never leading, trailing or doubled. */
export const ASSET_ID_PATTERN = /^[a-z0-9](?:[a-z0-9_-]|\.(?!\.))*$/;
export const ASSET_ID_MAX = 200;
export const TEAM_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;
export const TEAM_MAX = 64;
export const VERSION_PATTERN = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

export const assetId = z
  .string()
  .max(ASSET_ID_MAX)
  .regex(ASSET_ID_PATTERN)
  .refine((s) => !s.endsWith('.') && !s.endsWith('.lock'), 'must not end with "." or ".lock"');
export const teamName = z.string().max(TEAM_MAX).regex(TEAM_PATTERN);
export const semver = z.string().regex(VERSION_PATTERN);

export const modeSchema = z.enum(MODES);
export const contentModelSchema = z.enum(CONTENT_MODELS);
export const GUARANTEE_MODES = ['notify', 'strict', 'ignore'] as const;
export const guaranteeModeSchema = z.enum(GUARANTEE_MODES);
export type GuaranteeMode = z.infer<typeof guaranteeModeSchema>;

export const ASSET_KINDS = ['model', 'source', 'seed', 'snapshot', 'table', 'view', 'topic', 'file', 'other'] as const;
export const assetKindSchema = z.enum(ASSET_KINDS);
/** Kinds whose consumers read rows by column name: a new one defaults to the table mode. */
export const TABLE_KINDS: readonly AssetKind[] = ['model', 'source', 'seed', 'snapshot', 'table', 'view'];
export type AssetKind = z.infer<typeof assetKindSchema>;

/**
 * A data-quality guarantee. `kind` is one of the well-known kinds, or the
 * name of any other test (e.g. `dbt_utils.unique_combination_of_columns`),
 * kept by name.
 */
export const guaranteeSchema = z.object({
  kind: z.string().min(1).max(200),
  column: z.string().optional(),
  columns: z.array(z.string()).optional(),
  values: z.array(z.unknown()).optional(),
  to: z.string().optional(),
  field: z.string().optional(),
  expression: z.string().optional(),
  /** Freshness thresholds etc. */
  config: z.record(z.string(), z.unknown()).optional(),
  severity: z.enum(['error', 'warn']).optional(),
  /** Where it came from: a dbt test unique_id, a constraint, a manual entry. */
  source: z.string().optional(),
});
export type Guarantee = z.infer<typeof guaranteeSchema>;

export const registryConfigSchema = z.object({
  format: z.literal(REGISTRY_FORMAT),
  name: z.string().optional(),
  defaults: z
    .object({
      /** The mode of a new asset that is not a table (topic, file, other). */
      compatibility_mode: modeSchema.default('backward'),
      /**
       * The mode of a new table asset (TABLE_KINDS, and every asset sync-dbt
       * writes): old readers of new rows, columns selected by name.
       */
      table_compatibility_mode: modeSchema.default('consumer'),
      content_model: contentModelSchema.default('closed'),
      /** Unset: strict under the consumer mode, notify under the others (see effectiveGuaranteeMode). */
      guarantee_mode: guaranteeModeSchema.optional(),
      proposal_ttl_days: z.number().int().positive().max(3650).default(30),
    })
    .prefault({}),
  policy: z
    .object({
      /** Acting for a team requires membership of it. */
      membership_checks: z.boolean().default(true),
      /** A proposal merges by itself when the last approval arrives. */
      auto_merge: z.boolean().default(true),
      /** Open a proposal for a breaking change even when the asset has no consumers. */
      proposal_without_consumers: z.boolean().default(false),
      require_signed_commits: z.boolean().default(false),
      /** Path (inside the registry) of the ssh allowed-signers file used by `verify`. */
      allowed_signers: z.string().default('.tessera/allowed_signers'),
      /**
       * Identities (git author emails) that may run `tessera sync-dbt` for any
       * owner team named in a manifest, e.g. the producer CI's bot. Empty: the
       * actor must be a member of each owner team it writes for.
       */
      ci_actors: z.array(email).default([]),
      /**
       * Every consumer acknowledges every breaking change, whatever fields it
       * declared: turns scoped acknowledgments off (docs/scoped-acks.md). Unset: false.
       */
      strict_acks: z.boolean().optional(),
    })
    .prefault({}),
  notifications: z
    .object({
      /** Failed attempts of one delivery before it is dead-lettered (a 4xx is dead at once). */
      max_attempts: z.number().int().positive().max(100).default(5),
      /** Wait before the first retry; doubled per further failure, at most 6 hours. */
      retry_after_seconds: z.number().int().nonnegative().max(86400).default(60),
      /** How long one delivery may take before it counts as a retryable failure. */
      timeout_seconds: z.number().positive().max(300).default(10),
      /** Base URL of a running `tessera ui`, for links in messages. */
      ui_url: z.string().max(2000).regex(/^https?:\/\/[^\s]+$/).optional(),
    })
    // Optional, not prefaulted: `init` writes the parsed config, and registries without notifications keep their bytes.
    .optional(),
});
export type RegistryConfig = z.infer<typeof registryConfigSchema>;
export type NotificationSettings = z.output<typeof notificationSettingsSchema>;
const notificationSettingsSchema = registryConfigSchema.shape.notifications.unwrap();
export function notificationSettings(config: RegistryConfig): NotificationSettings {
  return config.notifications ?? notificationSettingsSchema.parse({});
}

export const teamSchema = z.object({
  name: teamName,
  members: z.array(email).default([]),
  contact: z.string().optional(),
  created_by: email.optional(),
  created_at: isoTime.optional(),
});
export type Team = z.infer<typeof teamSchema>;

export const assetSchema = z.object({
  id: assetId,
  owner: teamName,
  kind: assetKindSchema.default('table'),
  description: z.string().optional(),
  tags: z.array(z.string()).default([]),
  origin: z
    .object({
      system: z.string(),
      unique_id: z.string().optional(),
      package: z.string().optional(),
      /** The dbt project (metadata.project_name) whose sync wrote the asset: retirement stays within it. */
      project: z.string().optional(),
    })
    .optional(),
  current_version: semver,
  compatibility_mode: modeSchema.optional(),
  content_model: contentModelSchema.optional(),
  guarantee_mode: guaranteeModeSchema.optional(),
  /** Assets known to be built from this one (e.g. dbt child_map). */
  downstream: z.array(z.string()).optional(),
  /** Set when the asset was retired (removed from its source of truth). */
  retired: z.boolean().optional(),
});
export type Asset = z.infer<typeof assetSchema>;

export const CONTRACT_FORMATS = ['jsonschema', 'avro'] as const;

export const changeRecordSchema = z.object({
  rule: z.string(),
  path: z.string(),
  message: z.string(),
  breaking: z.boolean(),
});
export type ChangeRecord = z.infer<typeof changeRecordSchema>;

export const versionSchema = z.object({
  asset: assetId,
  version: semver,
  schema: z.union([z.boolean(), z.record(z.string(), z.unknown())]),
  /**
   * The language the contract was written in; absent means JSON Schema. For
   * `avro`, `avro` holds the Avro schema exactly as given (it is what
   * compatibility is judged on) and `schema` is its derived column view.
   */
  format: z.enum(CONTRACT_FORMATS).optional(),
  avro: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
  guarantees: z.array(guaranteeSchema).default([]),
  compatibility_mode: modeSchema,
  content_model: contentModelSchema,
  published_by: email,
  published_at: isoTime,
  previous_version: semver.optional(),
  changes: z.array(changeRecordSchema).default([]),
  /** How it went live: directly (compatible or first), through a proposal, or forced. */
  via: z.enum(['direct', 'proposal', 'forced', 'no-consumers']).default('direct'),
  proposal: z.string().optional(),
  /** This version retires the asset (it left its source of truth, e.g. the dbt manifest): merging it marks the asset retired. */
  retired: z.boolean().optional(),
  forced: z
    .object({
      reason: z.string().min(1),
      missing_teams: z.array(teamName).default([]),
    })
    .optional(),
})
  // An Avro version without its Avro schema (or the reverse) could not be judged against.
  .superRefine((v, ctx) => {
    if ((v.format === 'avro') !== (v.avro !== undefined)) ctx.addIssue({ code: 'custom', path: ['avro'], message: 'format: avro and an avro schema go together' });
  });
export type Version = z.infer<typeof versionSchema>;

export const DECISIONS = ['approve', 'migrating', 'block'] as const;
export const decisionSchema = z.enum(DECISIONS);
export type Decision = z.infer<typeof decisionSchema>;

export const ackSchema = z.object({
  proposal: z.string(),
  decision: decisionSchema,
  note: z.string().optional(),
  by: email,
  at: isoTime,
  fingerprint: z.string(),
  /** The fields the acking team had declared: its fingerprint covers the changes to these (absent: every field). */
  fields: z.array(z.string()).optional(),
});
export type Ack = z.infer<typeof ackSchema>;

export const consumerSchema = z.object({
  team: teamName,
  asset: assetId,
  purpose: z.string().optional(),
  fields: z.array(z.string()).optional(),
  /**
   * Open proposals this team stays required for although its declared fields
   * no longer meet their footprint: it narrowed them while the proposal was
   * open, and narrowing never removes an ack already needed.
   */
  required_for: z.array(z.string()).optional(),
  registered_by: email,
  registered_at: isoTime,
  acks: z.array(ackSchema).default([]),
});
export type Consumer = z.infer<typeof consumerSchema>;

export const proposalStatusSchema = z.enum(['open', 'merged', 'withdrawn', 'expired', 'superseded', 'forced']);
export type ProposalStatus = z.infer<typeof proposalStatusSchema>;

/**
 * The pull request (GitHub) or merge request (GitLab) whose manifest opened a
 * proposal: its number on the forge and, when known, its web address. Such a
 * proposal waits for the pull request to merge: the last ack approves it, the
 * main branch's sync publishes it (docs/dbt.md, "Gating pull requests").
 */
export const PULL_REQUEST_ID_PATTERN = /^[1-9][0-9]{0,9}$/;
export const pullRequestSchema = z.object({
  id: z.string().regex(PULL_REQUEST_ID_PATTERN),
  url: z.string().max(2000).regex(/^https?:\/\/[^\s]+$/).optional(),
});
export type PullRequestRef = z.infer<typeof pullRequestSchema>;

export const proposalSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
  asset: assetId,
  from_version: semver,
  to_version: semver,
  status: proposalStatusSchema,
  fingerprint: z.string(),
  changes: z.array(changeRecordSchema),
  author: email,
  owner: teamName,
  created_at: isoTime,
  expires_at: isoTime,
  /** Teams that must acknowledge, as of creation (scoped proposals: the consumers whose scope met the footprint). */
  required_teams: z.array(teamName),
  /** Consumers told of it but not waited for, as of creation: their declared fields miss its footprint. */
  informed_teams: z.array(teamName).optional(),
  /**
   * Scoped acknowledgments (absent on proposals made before them, or under
   * policy.strict_acks: every consumer is required). `footprint`: what its
   * breaking changes touch ("*" = the whole table); `columns`: a digest of
   * each top-level column of the proposed schema, so a team's fingerprint
   * covers only the columns it reads; `fields`: the fields each consumer
   * that declared some had declared at creation.
   */
  scope: z
    .object({
      footprint: z.array(z.string()),
      columns: z.record(z.string(), z.string()),
      fields: z.record(z.string(), z.array(z.string())).optional(),
    })
    .optional(),
  closed_at: isoTime.optional(),
  closed_by: email.optional(),
  reason: z.string().optional(),
  downstream: z.array(z.string()).optional(),
  /** Observations of the diff that are not rules, e.g. a removal plus an addition that look like a rename. */
  hints: z.array(z.string()).optional(),
  /** Opened by `sync-dbt --pull-request`: the change is live only once that pull request merges. */
  pull_request: pullRequestSchema.optional(),
});
export type Proposal = z.infer<typeof proposalSchema>;

/** A key's id: public, in its file name, its secret and the `Tessera-Key` trailer. */
export const KEY_ID_PATTERN = /^[a-z0-9]{12}$/;

/**
 * An API key for `tessera serve` (keys/<id>.yaml). Only a salted scrypt hash
 * of the secret is kept; the secret itself is shown once, by `tessera key create`.
 */
export const keySchema = z.object({
  id: z.string().regex(KEY_ID_PATTERN),
  team: teamName,
  scope: z.enum(['read', 'write', 'admin']),
  name: z.string().min(1).max(100).regex(/^[^\u0000-\u001f\u007f]*$/).optional(),
  created_at: isoTime,
  created_by: email,
  expires_at: isoTime.optional(),
  revoked_at: isoTime.optional(),
  revoked_by: email.optional(),
  hash: z.object({
    algorithm: z.literal('scrypt'),
    salt: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/),
    // Bounded so a hostile key file cannot make authentication allocate or compute without limit.
    N: z.number().int().min(1024).max(1 << 20).refine((n) => (n & (n - 1)) === 0, 'must be a power of 2'),
    r: z.number().int().min(1).max(32),
    p: z.number().int().min(1).max(16),
    key: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/),
  }),
});
export type KeyFile = z.infer<typeof keySchema>;

export const CHANNEL_TYPES = ['webhook', 'slack', 'email'] as const;
/** An environment variable's name: the registry names where secrets live, never the secrets. */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const envName = z.string().regex(ENV_NAME_PATTERN);

/** `channels/<name>.yaml`: where a team's notifications go (see docs/notifications.md). */
export const channelSchema = z
  .object({
    name: teamName,
    type: z.enum(CHANNEL_TYPES),
    teams: z.array(teamName).min(1),
    url_env: envName.optional(),
    secret_env: envName.optional(),
    to: z.array(z.string().min(3).max(320).regex(/^[^\s@<>]+@[^\s@<>]+$/)).optional(),
    created_at: isoTime,
    created_by: email,
  })
  .refine((c) => c.url_env !== undefined, { message: 'url_env is required (the variable holding the URL)', path: ['url_env'] })
  .refine((c) => c.type === 'email' || c.to === undefined, { message: 'to is for email channels only', path: ['to'] })
  .refine((c) => c.type !== 'email' || (c.to?.length ?? 0) > 0, { message: 'an email channel needs at least one address in to', path: ['to'] });
export type ChannelFile = z.infer<typeof channelSchema>;

export const DELIVERY_STATES = ['delivered', 'retrying', 'dead'] as const;
/** `deliveries/<channel>/<event-id>.yaml` on the deliveries ref: one per event and channel, written by compare-and-swap. */
export const deliverySchema = z.object({
  event: z.string().regex(/^evt_[0-9a-f]{24}$/),
  channel: teamName,
  type: z.string(),
  /** What the event is about, so a proposal or an asset can list who was told of it (absent on older records). */
  proposal: z.string().optional(),
  asset: z.string().optional(),
  state: z.enum(DELIVERY_STATES),
  attempts: z.number().int().nonnegative(),
  last_attempt_at: isoTime,
  next_attempt_at: isoTime.optional(),
  last_error: z.string().max(500).optional(),
  status: z.number().int().optional(),
  delivered_at: isoTime.optional(),
});
export type Delivery = z.infer<typeof deliverySchema>;
