/** Rendering a sync: text, JSON, GitHub workflow commands (+ step summary) and a PR-comment Markdown report. Pure. */
import type { Finding, FindingSeverity, PlannedMerge, ProposalGate, SyncItem, SyncPlan } from '../../core/sync.js';
import { pullRequestName } from '../../core/proposal.js';
import { githubEscapeData, githubEscapeProperty } from '../output.js';
import { mdCell, mdCode } from '../render/markdown.js';
import { PLAIN, type Painter } from '../render/painter.js';
import { gates, hasWrites, hintLines, mergedList, outcomeLine, type SyncReport } from '../../app/sync-dbt/report.js';

export { SYNC_JSON_VERSION, syncJson, hasWrites, type SyncReport } from '../../app/sync-dbt/report.js';

export const GITHUB_MAX_PER_KIND = 10;

const MARK: Record<FindingSeverity, string> = { breaking: '✖', warning: '!', info: '·' };

/** Scoped acknowledgments: who the proposal requires and who it only informs, each with why. */
function scopeLines(g: ProposalGate): string[] {
  // Only where declared fields made a difference: without any, every team is required as before.
  if (!g.scopes.some((t) => t.fields)) return [];
  const line = (t: ProposalGate['scopes'][number]) => `${t.team} (${t.reason})`;
  const required = g.scopes.filter((t) => t.required);
  const informed = g.scopes.filter((t) => !t.required);
  return [...(required.length ? [`required: ${required.map(line).join('; ')}`] : []), ...(informed.length ? [`informed: ${informed.map(line).join('; ')}`] : [])];
}

function gateLine(item: SyncItem, g: ProposalGate): string {
  const pr = g.pull_request ? ` (pull request ${pullRequestName(g.pull_request)})` : '';
  if (g.approved) return `${g.id}  ${item.asset} ${g.from_version} -> ${g.to_version}${pr}: approved by ${g.required_teams.join(', ') || 'every team'}${g.pull_request ? `; publishes when pull request ${pullRequestName(g.pull_request)} merges` : `; merge it: tessera merge ${g.id}`}`;
  const blocked = g.blocked.length ? ` (blocked by ${g.blocked.join(', ')})` : '';
  return `${g.id}  ${item.asset} ${g.from_version} -> ${g.to_version}${pr}: missing acks from ${g.missing.join(', ')}${blocked}: ${g.ack_commands.join('; ')}`;
}

/** Pull-request mode: what the pull request's merge publishes (nothing of it is written now). */
function deferredLine(r: SyncReport): string | undefined {
  const pr = r.plan.pullRequest;
  if (!pr) return undefined;
  const c = r.plan.counts;
  const parts = [c.created ? `${c.created} created` : '', c.published + c['published-major'] ? `${c.published + c['published-major']} published` : '', c.restored ? `${c.restored} restored` : '', c.retired ? `${c.retired} retired` : ''].filter(Boolean);
  return `when pull request ${pullRequestName(pr)} merges, the sync of main publishes: ${parts.join(', ') || 'no compatible change'}; this check writes nothing on main but the pull request's proposals`;
}

function publishedHeading(r: SyncReport): string {
  if (r.plan.pullRequest) return `Versions that publish when pull request ${pullRequestName(r.plan.pullRequest)} merges`;
  return r.dryRun ? 'Versions that would be published' : 'Versions published';
}

function mergedLine(m: PlannedMerge & { commit?: string | null }): string {
  return `${m.id}  ${m.asset} ${m.from_version} -> ${m.to_version}${m.pull_request ? ` (approved on pull request ${pullRequestName(m.pull_request)})` : ''}${m.commit ? ` commit ${m.commit.slice(0, 12)}` : ''}`;
}

function countsLine(r: SyncReport): string {
  const c = r.plan.counts;
  const parts = [`${c.created} created`, `${c.published + c['published-major']} published`, `${c.unchanged} unchanged`];
  if (c.restored) parts.push(`${c.restored} restored`);
  if (c.proposed + c['retire-proposed']) parts.push(`${c.proposed + c['retire-proposed']} proposed`);
  if (c.superseded) parts.push(`${c.superseded} proposal(s) superseded`);
  if (c['proposal-open']) parts.push(`${c['proposal-open']} awaiting an open proposal`);
  if (c.approved) parts.push(`${c.approved} approved, awaiting the pull request's merge`);
  if (c.merged) parts.push(`${c.merged} published via approved proposal`);
  if (r.plan.withdrawn.length) parts.push(`${r.plan.withdrawn.length} proposal(s) withdrawn`);
  if (c.retired) parts.push(`${c.retired} retired`);
  return parts.join(', ');
}

/** What changed in an asset this run publishes, in one line: guarantee-only changes say so. */
function publishedLine(i: SyncItem): string {
  const scope = i.guaranteesOnly ? ' (guarantees only)' : '';
  const rules = [...new Set(i.changes.map((c) => c.rule))];
  return `${i.asset} ${i.from ?? ''} -> ${i.version ?? ''}${scope}: ${rules.join(', ') || 'no change recorded'}`;
}

/** Items whose contract this run publishes on main (not first versions: a first sync would list every asset). */
function publishedItems(r: SyncReport): SyncItem[] {
  return r.plan.items.filter((i) => i.action === 'published' || i.action === 'published-major');
}

function manifestFacts(r: SyncReport): string {
  const m = r.manifest;
  const bits = [`manifest v${m.schemaVersion}`];
  if (m.dbtVersion) bits.push(`dbt ${m.dbtVersion}`);
  if (m.projectName) bits.push(`project ${m.projectName}`);
  return `${bits.join(', ')}: ${r.totals.assets} assets, ${r.totals.typed_columns}/${r.totals.columns} typed columns, ${r.totals.guarantees} guarantees`;
}

function manifestLine(r: SyncReport): string {
  return `${r.file} (${manifestFacts(r).replace(': ', '): ')}`;
}

function proposalLine(i: SyncItem): string {
  const p = i.proposal!;
  const down = p.downstream.length ? `; downstream: ${p.downstream.slice(0, 5).join(', ')}${p.downstream.length > 5 ? ` (+${p.downstream.length - 5})` : ''}` : '';
  const notes = [p.retire ? 'retire' : '', p.superseded ? `supersedes the open proposal; earlier acks ${p.acks_still_count ? 'still count (same changes and schema)' : 'no longer count'}` : ''].filter(Boolean);
  return `${p.id}  ${i.asset} ${i.from ?? ''} -> ${i.version ?? ''}${notes.length ? ` (${notes.join('; ')})` : ''}  waiting for ${p.required_teams.join(', ')}${down}`;
}

export function renderSyncText(r: SyncReport, p: Painter = PLAIN, maxFindings = 100): string[] {
  const lines = [p.bold(manifestLine(r)), `  ${countsLine(r)}`];
  const deferred = deferredLine(r);
  if (deferred) lines.push(`  ${deferred}`);
  if (r.plan.teamsCreated.length) lines.push(`  teams created: ${r.plan.teamsCreated.join(', ')}`);
  if (r.plan.consumersRegistered.length) lines.push(`  consumer registrations: ${r.plan.consumersRegistered.length}`);
  const proposed = r.plan.items.filter((i) => i.proposal);
  if (proposed.length) {
    const superseding = proposed.some((i) => i.proposal!.superseded);
    lines.push('', p.bold(r.dryRun ? `Proposals that would open${superseding ? ' or be superseded' : ''}` : `Proposals opened${superseding ? ' or superseded' : ''}`));
    for (const i of proposed) lines.push(`  ${proposalLine(i)}`);
  }
  const gated = gates(r);
  if (gated.length) {
    lines.push('', p.bold('Acknowledgments'));
    for (const { item, gate } of gated) {
      lines.push(`  ${gateLine(item, gate)}`);
      lines.push(...scopeLines(gate).map((l) => `    ${l}`));
    }
  }
  const merged = mergedList(r);
  if (merged.length) {
    lines.push('', p.bold(r.dryRun ? 'Approved proposals that would merge' : 'Approved proposals merged'));
    for (const m of merged) lines.push(`  ${mergedLine(m)}`);
  }
  if (r.plan.withdrawn.length) {
    lines.push('', p.bold(r.dryRun ? 'Proposals that would be withdrawn' : 'Proposals withdrawn'));
    for (const w of r.plan.withdrawn) lines.push(`  ${w.id}  ${w.asset} ${w.from_version} -> ${w.to_version}  ${w.status === 'superseded' ? 'superseded: ' : ''}${w.reason}`);
  }
  const published = publishedItems(r);
  if (published.length) {
    lines.push('', p.bold(publishedHeading(r)));
    for (const i of published.slice(0, maxFindings)) lines.push(`  ${publishedLine(i)}`);
    if (published.length > maxFindings) lines.push(`  ... and ${published.length - maxFindings} more (see --json)`);
  }
  const hints = hintLines(r);
  if (hints.length) {
    lines.push('', p.bold('Hints'));
    for (const h of hints) lines.push(`  ${p.yellow('hint:')} ${h}`);
  }
  if (r.plan.findings.length) {
    lines.push('', p.bold(`Findings (${r.plan.findings.length})`));
    for (const f of r.plan.findings.slice(0, maxFindings)) {
      const mark = f.severity === 'breaking' ? p.red(MARK.breaking) : f.severity === 'warning' ? p.yellow(MARK.warning) : p.dim(MARK.info);
      lines.push(`  ${mark} ${f.severity.padEnd(8)} ${f.rule}  ${p.cyan(f.asset)}${f.path ? ` ${f.path}` : ''}  ${f.message}`);
    }
    if (r.plan.findings.length > maxFindings) lines.push(`  ... and ${r.plan.findings.length - maxFindings} more (see --json)`);
  }
  if (r.warnings.length) {
    lines.push('', p.bold('Manifest warnings'));
    for (const w of r.warnings) lines.push(`  ${w}`);
  }
  lines.push('', hasWrites(r) ? p.green(outcomeLine(r)) : outcomeLine(r));
  if (r.exitCode !== 0) lines.push(p.red(`failing: findings reach --fail-on ${r.failOn}`));
  return lines;
}

const LEVEL: Record<FindingSeverity, 'error' | 'warning' | 'notice'> = { breaking: 'error', warning: 'warning', info: 'notice' };

/** Workflow commands, most severe first, at most GITHUB_MAX_PER_KIND per kind, then a notice counting what was left out. */
export function renderSyncGithub(r: SyncReport, file?: string): string[] {
  const fileProp = file ? `file=${githubEscapeProperty(file)},` : '';
  const lines: string[] = [];
  const left: Record<'error' | 'warning' | 'notice', number> = { error: 0, warning: 0, notice: 0 };
  const shown: Record<'error' | 'warning' | 'notice', number> = { error: 0, warning: 0, notice: 0 };
  const emit = (level: 'error' | 'warning' | 'notice', title: string, message: string) => {
    if (shown[level] >= GITHUB_MAX_PER_KIND) {
      left[level]++;
      return;
    }
    shown[level]++;
    lines.push(`::${level} ${fileProp}title=${githubEscapeProperty(title)}::${githubEscapeData(message)}`);
  };
  // First, so the per-kind limit never hides them: the way to green, an error per new or superseded proposal missing acks, naming the commands (PROPOSAL_ALREADY_OPEN findings name them already).
  for (const { item, gate } of gates(r).filter((g) => g.item.action !== 'proposal-open')) emit(gate.approved ? 'notice' : 'error', `tessera ${gate.approved ? 'approved' : 'acks missing'} ${gate.id}`, gateLine(item, gate));
  const bySeverity = (f: Finding) => f.severity;
  for (const sev of ['breaking', 'warning', 'info'] as const) {
    for (const f of r.plan.findings.filter((x) => bySeverity(x) === sev)) emit(LEVEL[sev], `${f.rule} ${f.asset}`, `${f.path ? f.path + ': ' : ''}${f.message}`);
  }
  for (const i of r.plan.items.filter((x) => x.proposal)) emit('notice', `tessera proposal ${i.proposal!.id}`, proposalLine(i));
  for (const m of mergedList(r)) emit('notice', `tessera merged ${m.id}`, mergedLine(m));
  for (const i of r.plan.items) for (const h of i.hints ?? []) emit('notice', `tessera hint ${i.asset}`, h);
  for (const i of publishedItems(r)) emit('notice', `tessera published ${i.asset}`, publishedLine(i));
  const more = (['error', 'warning', 'notice'] as const).filter((k) => left[k] > 0).map((k) => `${left[k]} more ${k}${left[k] === 1 ? '' : 's'}`);
  if (more.length) lines.push(`::notice title=tessera sync-dbt::${githubEscapeData(`${more.join(', ')} not shown (run with --json for all)`)}`);
  lines.push(`::notice title=tessera sync-dbt::${githubEscapeData(`${countsLine(r)}; ${outcomeLine(r)}`)}`);
  return lines;
}

/** A PR-comment-ready report; also what --format github appends to $GITHUB_STEP_SUMMARY. */
export function renderSyncMarkdown(r: SyncReport, maxRows = 50): string[] {
  const breaking = r.plan.findings.filter((f) => f.severity === 'breaking').length;
  const warnings = r.plan.findings.filter((f) => f.severity === 'warning').length;
  const pr = r.plan.pullRequest;
  const gated = gates(r);
  const head = pr
    ? breaking > 0
      ? `### ❌ tessera: pull request ${pullRequestName(pr)} waits on acknowledgments (${breaking} breaking finding(s))`
      : `### ✅ tessera: pull request ${pullRequestName(pr)} may merge${gated.length ? ': its breaking changes are approved' : ''}`
    : breaking > 0 ? `### ❌ tessera sync-dbt: ${breaking} breaking change(s)` : warnings > 0 ? `### ⚠️ tessera sync-dbt: ${warnings} warning(s)` : '### ✅ tessera sync-dbt: no breaking changes';
  const lines = [head + (r.dryRun ? ' (dry run)' : ''), '', `${mdCode(r.file)} · ${mdCell(manifestFacts(r))}`, ''];
  const deferred = deferredLine(r);
  if (deferred) lines.push(`${pr?.url ? `[Pull request ${pullRequestName(pr)}](${pr.url.replace(/\)/g, '%29')})` : `Pull request ${pullRequestName(pr!)}`} · ${mdCell(deferred)}.`, '');
  const c = r.plan.counts;
  lines.push('| created | published | unchanged | proposed | superseded | withdrawn | retired | awaiting open proposal |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  lines.push(`| ${c.created} | ${c.published + c['published-major']} | ${c.unchanged} | ${c.proposed + c['retire-proposed']} | ${c.superseded} | ${r.plan.withdrawn.length} | ${c.retired} | ${c['proposal-open']} |`, '');
  const proposed = r.plan.items.filter((i) => i.proposal);
  if (proposed.length) {
    lines.push(`**Proposals${r.dryRun ? ' that would open' : ''}**`, '', '| Proposal | Asset | Versions | Waiting for | Downstream |', '| --- | --- | --- | --- | --- |');
    for (const i of proposed) {
      const p = i.proposal!;
      const notes = [p.retire ? 'retire' : '', p.superseded ? 'supersedes the open proposal' : ''].filter(Boolean);
      lines.push(`| ${mdCode(p.id)} | ${mdCode(i.asset)} | ${i.from ?? ''} → ${i.version ?? ''}${notes.length ? ` (${notes.join('; ')})` : ''} | ${mdCell(p.required_teams.join(', '))} | ${mdCell(p.downstream.join(', ') || '–')} |`);
    }
    lines.push('');
  }
  if (gated.length) {
    lines.push('**Acknowledgments**', '', '| Proposal | Asset | Versions | Status | Acknowledge with |', '| --- | --- | --- | --- | --- |');
    for (const { item, gate } of gated) {
      const status = gate.approved ? (gate.pull_request ? `approved; publishes when ${pullRequestName(gate.pull_request)} merges` : 'approved; not merged yet') : `missing: ${gate.missing.join(', ')}${gate.blocked.length ? ` (blocked: ${gate.blocked.join(', ')})` : ''}`;
      const commands = gate.approved ? (gate.pull_request ? '–' : mdCode(`tessera merge ${gate.id}`)) : gate.ack_commands.map(mdCode).join('<br>');
      const scope = scopeLines(gate).join('; ');
      lines.push(`| ${mdCode(gate.id)} | ${mdCode(item.asset)} | ${gate.from_version} → ${gate.to_version} | ${mdCell(status + (scope ? `. ${scope}` : ''))} | ${commands} |`);
    }
    lines.push('');
  }
  const merged = mergedList(r);
  if (merged.length) {
    lines.push(`**Approved proposals${r.dryRun ? ' that would be' : ''} merged**`, '');
    for (const m of merged) lines.push(`- ${mdCell(mergedLine(m))}`);
    lines.push('');
  }
  if (r.plan.withdrawn.length) {
    lines.push(`**Proposals${r.dryRun ? ' that would be' : ''} withdrawn**`, '', '| Proposal | Asset | Versions | Reason |', '| --- | --- | --- | --- |');
    for (const w of r.plan.withdrawn) lines.push(`| ${mdCode(w.id)} | ${mdCode(w.asset)} | ${w.from_version} → ${w.to_version} | ${mdCell(w.reason)} |`);
    lines.push('');
  }
  const published = publishedItems(r);
  if (published.length) {
    lines.push(`**${publishedHeading(r)}**`, '');
    for (const i of published.slice(0, maxRows)) lines.push(`- ${mdCell(publishedLine(i))}`);
    if (published.length > maxRows) lines.push(`- … and ${published.length - maxRows} more (run with \`--json\`).`);
    lines.push('');
  }
  const hinted = r.plan.items.filter((i) => i.hints?.length);
  if (hinted.length) {
    for (const i of hinted) for (const h of i.hints!) lines.push(`> **Hint:** ${mdCode(i.asset)}: ${mdCell(h)}`);
    lines.push('');
  }
  if (r.plan.findings.length) {
    lines.push('| | Rule | Asset | Path | Finding |', '| --- | --- | --- | --- | --- |');
    for (const f of r.plan.findings.slice(0, maxRows)) lines.push(`| ${MARK[f.severity]} ${f.severity} | ${mdCode(f.rule)} | ${mdCode(f.asset)} | ${f.path ? mdCode(f.path) : ''} | ${mdCell(f.message)} |`);
    if (r.plan.findings.length > maxRows) lines.push('', `… and ${r.plan.findings.length - maxRows} more findings (run with \`--json\`).`);
    lines.push('');
  }
  lines.push(mdCell(outcomeLine(r)) + '.');
  return lines;
}
