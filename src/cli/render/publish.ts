/** Rendering publish/check outcomes for people, machines and CI. */
import type { PublishDecision } from '../../core/publish.js';
import { diffToJson, renderDiffGithub, renderDiffMarkdown, renderDiffText, type DiffRenderContext } from './diff.js';
import type { Painter } from './painter.js';
import type { GuaranteeChange } from '../../core/guarantees.js';
import type { DiffOptions } from '../../core/diff/types.js';
import type { PublishResult } from '../../app/publish.js';
import type { CheckResult } from '../../app/check.js';

export interface PublishRenderInput {
  decision: PublishDecision;
  action: string;
  dryRun: boolean;
  source: string;
  file?: string;
  options: DiffOptions;
  categoryOf?: (id: string) => string | undefined;
  paint: Painter;
  extra?: Record<string, unknown>;
  /** Lines appended in text output (e.g. who must acknowledge). */
  notes?: string[];
  /** An Avro contract: its diff is judged by Avro's resolution rules, not the JSON Schema settings. */
  avro?: boolean;
}

function ctxOf(i: PublishRenderInput): DiffRenderContext {
  const d = i.decision;
  const from = 'from' in d ? `${d.asset}@${d.from}` : d.asset;
  const c: DiffRenderContext = { options: i.options, oldSource: from, newSource: i.source, paint: i.paint };
  if (i.file) c.newFile = i.file;
  if (i.categoryOf) c.categoryOf = i.categoryOf;
  if (i.avro) c.avro = true;
  return c;
}

function guaranteeLines(gs: GuaranteeChange[], p: Painter): string[] {
  return gs.map((g) => `${g.breaking ? p.red('✖') : g.severity === 'warning' ? p.yellow('!') : p.dim('·')} ${g.rule}  ${g.message}${g.severity === 'warning' ? ' (warning)' : ''}`);
}

export function renderPublishText(i: PublishRenderInput): string[] {
  const d = i.decision;
  const p = i.paint;
  const lines: string[] = [];
  if ('report' in d && d.report.changes.length > 0) lines.push(...renderDiffText(d.report, ctxOf(i)).slice(0, -1));
  if ('guarantees' in d && d.guarantees.length > 0) lines.push(...guaranteeLines(d.guarantees, p), '');
  const would = i.dryRun ? 'would be ' : '';
  // The decision says what happened to the contract; notes cover proposals and forced publishes.
  switch (d.action) {
    case 'created':
      lines.push(p.green(`${d.asset} ${d.version} ${would}published (first version)`));
      break;
    case 'published':
      lines.push(p.green(`${d.asset} ${d.from} -> ${d.version} ${would}published (compatible)`));
      break;
    case 'unchanged':
      lines.push(`${d.asset} ${d.version} unchanged: nothing to publish`);
      break;
    case 'breaking':
      if (i.action === 'contract.published' || i.action === 'contract.forced') lines.push(p.yellow(`${d.asset} ${d.from} -> ${d.version} ${would}published (breaking)`));
      break;
  }
  lines.push(...(i.notes ?? []));
  return lines;
}

export function publishJson(i: PublishRenderInput): Record<string, unknown> {
  const d = i.decision;
  const out: Record<string, unknown> = { schema_version: 'tessera.publish/v1', action: i.action, dry_run: i.dryRun, asset: d.asset, version: d.version };
  if ('from' in d) out.from_version = d.from;
  if ('report' in d) out.diff = diffToJson(d.report, ctxOf(i));
  if ('guarantees' in d) out.guarantee_changes = d.guarantees;
  return { ...out, ...i.extra };
}

export function renderPublishGithub(i: PublishRenderInput): string[] {
  const d = i.decision;
  const lines = 'report' in d ? renderDiffGithub(d.report, ctxOf(i)) : [];
  for (const line of i.notes ?? []) lines.push(`::notice title=tessera::${line}`);
  return lines;
}

export function renderPublishMarkdown(i: PublishRenderInput): string[] {
  const d = i.decision;
  const lines = [`### ${d.asset}: ${i.action}${i.dryRun ? ' (dry run)' : ''}`, ''];
  if ('report' in d) lines.push(...renderDiffMarkdown(d.report, ctxOf(i)));
  if (i.notes?.length) lines.push('', ...i.notes);
  return lines;
}

/** The lines after a publish's verdict: who must acknowledge (with each team's command), or what a forced publish skipped. */
export function publishNotes(r: PublishResult): string[] {
  if (r.noConsumers) return ['breaking, but no team consumes this asset: published as a new major version'];
  if (r.forced) {
    const missing = r.forced.missingTeams;
    return [`forced ${missing.length ? `without acknowledgments from ${missing.join(', ')}` : 'over the breaking-change check'}; reason recorded`];
  }
  if (!r.proposal) return [];
  const p = r.proposal;
  return [
    `${p.superseded ? 'Superseded' : 'Opened'} proposal ${p.id}: ${r.decision.asset} ${p.from_version} -> ${p.to_version}`,
    ...(p.superseded ? ['Earlier acknowledgments no longer count.'] : []),
    ...(r.merged ? [`No team's declared fields meet the change (${p.footprint.join(', ')}): merged at once; ${r.decision.asset} ${p.to_version} is current`] : [`Waiting for acknowledgments from: ${p.required_teams.join(', ')}`]),
    // The exact command per team, so each can paste its own line.
    ...p.required_teams.map((t) => `  tessera ack ${p.id} --team ${t}`),
    ...(p.informed_teams.length ? [`Informed, not waited for (their declared fields miss ${p.footprint.join(', ')}): ${p.informed_teams.join(', ')}`] : []),
  ];
}

/** The fields --json adds to a publish beyond the decision. */
export function publishExtra(r: PublishResult): Record<string, unknown> {
  if (r.forced) return { missing_teams: r.forced.missingTeams, ...(r.forced.proposal ? { proposal: r.forced.proposal } : {}) };
  if (r.proposal) return { proposal: { id: r.proposal.id, required_teams: r.proposal.required_teams, informed_teams: r.proposal.informed_teams, footprint: r.proposal.footprint, fingerprint: r.proposal.fingerprint, expires_at: r.proposal.expires_at, merged: Boolean(r.merged) } };
  return {};
}

export function checkNotes(r: CheckResult): string[] {
  const d = r.decision;
  if (d.action !== 'breaking') return [];
  const required = r.teams?.required ?? d.consumers;
  const informed = r.teams?.informed ?? [];
  return [
    `breaking: publishing this needs acknowledgments from ${required.join(', ') || (informed.length ? 'nobody (no consumer\'s declared fields meet it)' : 'nobody (no consumers)')}`,
    ...(informed.length ? [`informed, not waited for: ${informed.join(', ')}`] : []),
  ];
}

