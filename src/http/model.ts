/**
 * The view models: plain data the pages render. The data layer
 * (src/http/data) builds them from the registry; the views (src/ui/views)
 * turn them into HTML; the JSON API serialises them as they are.
 */
import type { Delivery } from '../core/model.js';
import type { Asset, Consumer, Guarantee, Proposal, Team, Version } from '../core/model.js';
import type { QualityEvent } from '../core/quality.js';
import type { LogEntry } from '../registry/log.js';
import type { TeamAnswer } from '../core/proposal.js';
import type { TeamScope } from '../core/scope/teams.js';

export interface AssetRow {
  id: string;
  owner: string;
  kind: string;
  current_version: string;
  description: string | null;
  tags: string[];
  consumers: string[];
  downstream: string[];
  retired: boolean;
}

export interface AssetFilter {
  q?: string;
  owner?: string;
  kind?: string;
  consumer?: string;
}

export interface AssetPage {
  filter: AssetFilter;
  total: number;
  matched: number;
  offset: number;
  limit: number;
  rows: AssetRow[];
  owners: string[];
  kinds: string[];
  consumerTeams: string[];
}

export interface GuaranteeView {
  label: string;
  guarantee: Guarantee;
  quality?: QualityEvent;
}

export interface ColumnView {
  name: string;
  type: string;
  required: boolean;
  format?: string;
  description?: string;
  guarantees: GuaranteeView[];
}

export interface VersionSummary {
  version: string;
  published_at: string;
  published_by: string;
  via: Version['via'];
  proposal?: string;
  changes: number;
  breaking: number;
}

export interface ChangeView {
  rule: string;
  path: string;
  message: string;
  breaking: boolean;
  /** The rule catalog's one-line meaning, when the rule is in the catalog. */
  meaning?: string;
}

export interface DiffView {
  from: string;
  to: string;
  mode: string;
  contentModel: string;
  compatible: boolean;
  bump: string;
  changes: ChangeView[];
  hints: string[];
  guarantees: Array<{ rule: string; guarantee: string; severity: string; breaking: boolean; message: string }>;
}

export interface ProposalSummary {
  id: string;
  asset: string;
  from_version: string;
  to_version: string;
  status: Proposal['status'];
  author: string;
  owner: string;
  created_at: string;
  expires_at: string;
  closed_at?: string;
  required: string[];
  /** Consumers told of it, not waited for (scoped acknowledgments, docs/scoped-acks.md). */
  informed?: string[];
  approved: string[];
  pending: string[];
  blocked: string[];
  migrating: string[];
  expired: boolean;
  breaking: number;
}

export interface QualityState {
  /** Latest result per guarantee key (`kind|column`). */
  latest: Map<string, QualityEvent>;
  /** Set when quality.yaml exists but could not be read. */
  problem?: string;
  present: boolean;
}

export interface AssetDetail {
  asset: Asset;
  current: Version;
  columns: ColumnView[];
  tableGuarantees: GuaranteeView[];
  versions: VersionSummary[];
  consumers: Consumer[];
  proposals: ProposalSummary[];
  downstream: Array<{ id: string; known: boolean }>;
  upstream: string[];
  quality: { present: boolean; problem?: string; results: QualityEvent[] };
  diff?: DiffView;
  /** Why the requested diff could not be shown. */
  diffProblem?: string;
}

export interface ProposalDetail {
  proposal: Proposal;
  open: boolean;
  changes: ChangeView[];
  answers: TeamAnswer[];
  pending: string[];
  blocked: string[];
  complete: boolean;
  expired: boolean;
  /**
   * Every consumer's standing, required or informed, with its declared fields
   * and why (docs/scoped-acks.md): an open proposal's from the registrations
   * now, a closed one's as its record says they stood at creation.
   */
  scopes: TeamScope[];
  /** What its breaking changes touch (column paths, "*" the whole table); absent when it recorded no scope (every consumer required). */
  footprint?: string[];
  /** Teams the acting identity may answer for (member and required). */
  actorTeams: string[];
  actor?: string;
  /** Who was told of it, through which channel, and when (tessera notify's delivery records). */
  notifications: Delivery[];
}

export interface TeamView {
  team: Team;
  owns: string[];
  consumes: string[];
}

export interface Overview {
  name: string | undefined;
  counts: { assets: number; teams: number; openProposals: number; versions?: number };
  open: ProposalSummary[];
  events: LogEntry[];
}

export interface LogFilter {
  event?: string;
  asset?: string;
  team?: string;
  since?: string;
  until?: string;
}

export interface LogPage {
  filter: LogFilter;
  total: number;
  entries: LogEntry[];
  limit: number;
  events: string[];
}

/** Page chrome: what every page shows around its content. */
export interface Chrome {
  title: string;
  nav: 'overview' | 'assets' | 'proposals' | 'teams' | 'log' | 'none';
  registry: string;
  commit?: string;
  actor?: string;
  warning?: string;
  flash?: { kind: 'ok' | 'error'; text: string };
}
