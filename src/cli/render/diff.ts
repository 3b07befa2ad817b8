/**
 * Renderers for a compatibility report: pure functions from the report to
 * lines (text, GitHub annotations, Markdown) or to the versioned JSON
 * object. `diff`, `publish` and `sync-dbt` share them.
 */
import type { Change, Check, CompatibilityReport, DiffOptions } from '../../core/diff/types.js';
import { githubEscapeData, githubEscapeProperty } from '../output.js';
import { mdCell, mdCode } from './markdown.js';
import { PLAIN, type Painter } from './painter.js';

export const DIFF_JSON_VERSION = 'tessera.diff/v1';

export type ChangeKind = 'breaking' | 'compatible' | 'annotation';

export interface DiffRenderContext {
  options: DiffOptions;
  /** Display names of the compared schemas (paths, `<stdin>`, `asset@1.2.0`). */
  oldSource: string;
  newSource: string;
  /** The new schema's file, for `::error file=...`; absent for stdin. */
  newFile?: string;
  /** Catalog category of a rule id (`annotation` marks changes that never affect validation). */
  categoryOf?: (ruleId: string) => string | undefined;
  paint?: Painter;
  /** Avro schemas are judged by Avro's resolution rules: content model, policy and profile do not apply. */
  avro?: boolean;
}

export function changeKind(change: Change, categoryOf?: (id: string) => string | undefined): ChangeKind {
  if (change.breaking) return 'breaking';
  return categoryOf?.(change.rule) === 'annotation' ? 'annotation' : 'compatible';
}

export function summarise(report: CompatibilityReport, categoryOf?: (id: string) => string | undefined): Record<ChangeKind, number> {
  const counts: Record<ChangeKind, number> = { breaking: 0, compatible: 0, annotation: 0 };
  for (const c of report.changes) counts[changeKind(c, categoryOf)]++;
  return counts;
}

const MARK: Record<ChangeKind, string> = { breaking: '✖', compatible: '✔', annotation: '·' };

/** One line per change even when a property name holds a line break. */
function visible(s: string): string {
  return s.replace(/\r/g, '\\r').replace(/\n/g, '\\n');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function countsText(counts: Record<ChangeKind, number>): string {
  const parts = [plural(counts.breaking, 'breaking change'), plural(counts.compatible, 'compatible change')];
  if (counts.annotation > 0) parts.push(plural(counts.annotation, 'annotation'));
  return parts.join(', ');
}

function settings(o: DiffOptions, avro?: boolean): string {
  if (avro) return 'Avro resolution rules';
  return `${o.contentModel} content model, ${o.policy} policy${o.profile === 'confluent' ? ', confluent profile' : ''}`;
}

/** Extra detail for full and transitive modes, where "breaking" needs a direction or a version. */
function qualifiers(c: Change, mode: DiffOptions['mode']): string {
  const q: string[] = [];
  if (c.breaking && mode.startsWith('full') && c.breaks && c.breaks.length > 0) q.push(`breaks ${c.breaks.join(' and ')}`);
  if (c.against !== undefined) q.push(`against version #${c.against + 1}`);
  return q.length > 0 ? ` [${q.join('; ')}]` : '';
}

export function verdictLine(report: CompatibilityReport, ctx: DiffRenderContext): string {
  const o = ctx.options;
  const counts = summarise(report, ctx.categoryOf);
  if (o.mode === 'none') return `mode none: nothing is checked; ${countsText(counts)}; suggested bump: ${report.bump}`;
  if (report.changes.length === 0) return `no changes: compatible under ${o.mode} (${settings(o, ctx.avro)}); suggested bump: ${report.bump}`;
  const verdict = report.compatible ? 'compatible' : 'breaking';
  return `${verdict} under ${o.mode} (${settings(o, ctx.avro)}): ${countsText(counts)}; suggested bump: ${report.bump}`;
}

export function renderDiffText(report: CompatibilityReport, ctx: DiffRenderContext): string[] {
  const p = ctx.paint ?? PLAIN;
  const o = ctx.options;
  const width = Math.max(0, ...report.changes.map((c) => c.rule.length));
  const lines: string[] = [];
  for (const c of report.changes) {
    const kind = changeKind(c, ctx.categoryOf);
    const mark = kind === 'breaking' ? p.red(MARK[kind]) : kind === 'compatible' ? p.green(MARK[kind]) : p.dim(MARK[kind]);
    const rule = c.rule.padEnd(width);
    const ruleText = kind === 'breaking' ? p.bold(rule) : kind === 'annotation' ? p.dim(rule) : rule;
    lines.push(`${mark} ${ruleText}  ${p.cyan(visible(c.path || '/'))}  ${visible(c.message)}${qualifiers(c, o.mode)}`);
  }
  for (const h of report.hints) lines.push(`${p.yellow('hint:')} ${h}`);
  if (lines.length > 0) lines.push('');
  const verdict = verdictLine(report, ctx);
  lines.push(report.compatible ? p.green(verdict) : p.red(p.bold(verdict)));
  return lines;
}

export interface DiffJsonChange {
  rule: string;
  category?: string;
  kind: ChangeKind;
  path: string;
  message: string;
  breaking: boolean;
  breaks?: Check[];
  against?: number;
  old?: unknown;
  new?: unknown;
}

export interface DiffJson {
  schema_version: typeof DIFF_JSON_VERSION;
  old: string;
  new: string;
  mode: DiffOptions['mode'];
  /** `json-schema`, or `avro`: judged by Avro's resolution rules, where the three settings below do not apply (null). */
  format: 'json-schema' | 'avro';
  content_model: DiffOptions['contentModel'] | null;
  policy: DiffOptions['policy'] | null;
  profile: DiffOptions['profile'] | null;
  /** Avro only: why content_model, policy and profile are null. */
  not_applicable?: string;
  compatible: boolean;
  bump: CompatibilityReport['bump'];
  summary: Record<ChangeKind, number>;
  changes: DiffJsonChange[];
  hints: string[];
}

const AVRO_NOT_APPLICABLE = "content_model, policy and profile are JSON Schema settings; Avro schemas are judged by Avro's resolution rules";

export function diffToJson(report: CompatibilityReport, ctx: DiffRenderContext): DiffJson {
  const o = ctx.options;
  return {
    schema_version: DIFF_JSON_VERSION,
    old: ctx.oldSource,
    new: ctx.newSource,
    mode: o.mode,
    ...(ctx.avro
      ? { format: 'avro' as const, content_model: null, policy: null, profile: null, not_applicable: AVRO_NOT_APPLICABLE }
      : { format: 'json-schema' as const, content_model: o.contentModel, policy: o.policy, profile: o.profile }),
    compatible: report.compatible,
    bump: report.bump,
    summary: summarise(report, ctx.categoryOf),
    changes: report.changes.map((c) => {
      const category = ctx.categoryOf?.(c.rule);
      const out: DiffJsonChange = { rule: c.rule, ...(category !== undefined ? { category } : {}), kind: changeKind(c, ctx.categoryOf), path: c.path, message: c.message, breaking: c.breaking };
      if (c.breaks !== undefined) out.breaks = c.breaks;
      if (c.against !== undefined) out.against = c.against;
      if (c.old !== undefined) out.old = c.old;
      if (c.new !== undefined) out.new = c.new;
      return out;
    }),
    hints: report.hints,
  };
}

/** GitHub workflow commands: breaking changes fail the check visibly, the rest are notices. */
export function renderDiffGithub(report: CompatibilityReport, ctx: DiffRenderContext): string[] {
  const o = ctx.options;
  const fileProp = ctx.newFile !== undefined ? `file=${githubEscapeProperty(ctx.newFile)},` : '';
  const lines = report.changes.map((c) => {
    const level = c.breaking ? 'error' : 'notice';
    return `::${level} ${fileProp}title=${githubEscapeProperty(c.rule)}::${githubEscapeData(`${c.path || '/'}: ${c.message}${qualifiers(c, o.mode)}`)}`;
  });
  for (const h of report.hints) lines.push(`::notice ${fileProp}title=tessera hint::${githubEscapeData(h)}`);
  lines.push(`::notice title=tessera diff::${githubEscapeData(verdictLine(report, ctx))}`);
  return lines;
}

/** A PR-comment-ready summary and table. */
export function renderDiffMarkdown(report: CompatibilityReport, ctx: DiffRenderContext): string[] {
  const o = ctx.options;
  const counts = summarise(report, ctx.categoryOf);
  const head = o.mode === 'none'
    ? `### tessera diff: mode \`none\` (nothing is checked)`
    : report.compatible
      ? `### ✅ tessera diff: compatible under \`${o.mode}\``
      : `### ❌ tessera diff: breaking under \`${o.mode}\``;
  const lines = [
    head,
    '',
    `${mdCode(ctx.oldSource)} → ${mdCode(ctx.newSource)} · ${settings(o, ctx.avro)} · ${countsText(counts)} · suggested bump: **${report.bump}**`,
    '',
  ];
  if (report.changes.length === 0) {
    lines.push('No changes.');
  } else {
    lines.push('| | Rule | Path | Change |', '| --- | --- | --- | --- |');
    for (const c of report.changes) {
      const kind = changeKind(c, ctx.categoryOf);
      lines.push(`| ${MARK[kind]} ${kind} | ${mdCode(c.rule)} | ${mdCode(c.path || '/')} | ${mdCell(c.message + qualifiers(c, o.mode))} |`);
    }
  }
  if (report.hints.length > 0) {
    lines.push('');
    for (const h of report.hints) lines.push(`> **Hint:** ${mdCell(h)}`);
  }
  return lines;
}
