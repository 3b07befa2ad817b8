/** The proposal list and one proposal with the ack form (pure). */
import { html, seg, type SafeHtml } from '../html.js';
import type { ProposalDetail, ProposalSummary } from '../../http/model.js';
import { changeList } from './diff.js';
import { answerPill, assetLink, plural, proposalTable, statusPill, teamLink, when } from './parts.js';

const STATUSES = ['open', 'merged', 'withdrawn', 'expired', 'superseded', 'forced'];

export function proposalsPage(rows: ProposalSummary[], filter: { status?: string; asset?: string }): SafeHtml {
  return html`
  <h1>Proposals</h1>
  <p class="sub">Breaking changes become proposals; each merges when every required consumer team has approved it. Teams whose declared fields the change does not touch are informed, not waited for.</p>
  <form class="filters" method="get" action="/proposals" data-autosubmit>
    <label>Status<select name="status"><option value="">any status</option>${STATUSES.map((s) => html`<option value="${s}"${filter.status === s ? html` selected` : ''}>${s}</option>`)}</select></label>
    <label>Asset<input type="text" name="asset" value="${filter.asset ?? ''}" placeholder="asset id"></label>
    <button type="submit">Filter</button>
  </form>
  ${proposalTable(rows, 'No proposals match.')}
  `;
}

export interface AckFormState {
  token: string;
  note?: string;
  team?: string;
  identityProblem?: string;
  /** Who acts, as shown under the buttons (the signed-in team), instead of the git identity. */
  actorLabel?: string;
  /** Where the ack returns to: the inbox, or (default) the proposal's page. */
  returnTo?: 'inbox';
}

export function ackForm(d: ProposalDetail, form: AckFormState): SafeHtml {
  const id = d.proposal.id;
  const teamField =
    d.actorTeams.length > 0
      ? html`<label>Team<select name="team" id="ack-team">${d.actorTeams.map((t) => html`<option value="${t}"${form.team === t ? html` selected` : ''}>${t}</option>`)}</select></label>`
      : html`<label>Team<input type="text" name="team" id="ack-team" list="required-teams" value="${form.team ?? ''}" placeholder="team name" required></label>
        <datalist id="required-teams">${d.answers.map((a) => html`<option value="${a.team}"></option>`)}</datalist>`;
  return html`<form class="panel pad ackform" method="post" action="/proposals/${seg(id)}/ack">
    <input type="hidden" name="token" value="${form.token}">
    ${form.returnTo ? html`<input type="hidden" name="return" value="${form.returnTo}">` : ''}
    <div class="row">
      ${teamField}
      <label class="grow">Note <span class="muted">(required to block)</span><textarea name="note" ${form.returnTo ? '' : html`id="ack-note" `}placeholder="what you checked, or what would have to change">${form.note ?? ''}</textarea></label>
    </div>
    <div class="actions">
      <button class="approve" type="submit" name="decision" value="approve">Approve</button>
      <button class="migrating" type="submit" name="decision" value="migrating">Migrating</button>
      <button class="block" type="submit" name="decision" value="block">Block</button>
    </div>
    <p class="small muted" style="margin:.6rem 0 0">${form.actorLabel
      ? html`You act as ${form.actorLabel}. The same checks as <code>tessera ack</code> apply.`
      : d.actor
      ? html`You act as <b>${d.actor}</b>${d.actorTeams.length ? html`, a member of ${d.actorTeams.join(', ')}` : ', who is not a member of any team required here'}. The same checks as <code>tessera ack</code> apply.`
      : html`No git identity: ${form.identityProblem ?? 'set GIT_AUTHOR_EMAIL or git config user.email'}.`}</p>
  </form>`;
}

/** What the breaking changes touch, as people read it. */
function footprintText(footprint: readonly string[]): SafeHtml {
  return footprint.includes('*') ? html`<b>the whole table</b>` : html`${footprint.map((f, i) => html`${i > 0 ? ', ' : ''}<b class="mono">${f}</b>`)}`;
}

/** Required and informed teams, each with its declared fields and why (scoped acknowledgments). */
function scopePanel(d: ProposalDetail): SafeHtml | '' {
  if (d.scopes.length === 0) return '';
  const required = d.scopes.filter((t) => t.required).length;
  const when = d.open ? '' : ' (as the teams stood when it was proposed)';
  return html`<h2>Required and informed <span class="count">${required} required, ${d.scopes.length - required} informed</span></h2>
  <p class="small" id="footprint">${d.footprint
    ? html`Footprint: the breaking changes touch ${footprintText(d.footprint)}. A team whose declared fields meet it must acknowledge; the others are informed, not waited for${when}.`
    : html`No footprint recorded: every consumer team acknowledges${when}.`}</p>
  <div class="panel"><table id="scopes">
    <thead><tr><th>Team</th><th>Standing</th><th>Declared fields</th><th>Why</th></tr></thead>
    <tbody>${d.scopes.map(
      (t) => html`<tr data-team="${t.team}" data-standing="${t.required ? 'required' : 'informed'}">
        <td>${teamLink(t.team)}</td>
        <td>${t.required ? html`<span class="pill info">required</span>` : html`<span class="pill">informed</span>`}</td>
        <td class="small mono">${t.fields ? t.fields.join(', ') : html`<span class="muted">every field</span>`}</td>
        <td class="small">${t.reason}</td>
      </tr>`,
    )}</tbody></table></div>`;
}

/** `actions`: the team-wide UI's producer panel (withdraw, merge, force), shown before the answer form. */
export function proposalPage(d: ProposalDetail, form: AckFormState, actions?: SafeHtml): SafeHtml {
  const p = d.proposal;
  const breaking = d.changes.filter((c) => c.breaking).length;
  return html`
  <p class="small muted"><a href="/proposals">Proposals</a> /</p>
  <h1><span class="mono">${p.id}</span> ${statusPill(p.status, d.expired)}</h1>
  <div class="meta">
    <span>asset ${assetLink(p.asset)}</span>
    <span>change <b class="mono">${p.from_version} → ${p.to_version}</b></span>
    <span>owner <b>${teamLink(p.owner)}</b></span>
    <span>by ${p.author}</span>
    <span>created ${when(p.created_at)}</span>
    ${p.status === 'open' ? html`<span>expires <b>${when(p.expires_at)}</b>${d.expired ? html` <span class="pill warn">expired</span>` : ''}</span>` : html`<span>${p.status} ${when(p.closed_at)}${p.closed_by ? ` by ${p.closed_by}` : ''}</span>`}
  </div>
  ${p.reason ? html`<p class="description">Reason: ${p.reason}</p>` : ''}
  ${p.status === 'merged' ? html`<div class="banner ok" style="margin-top:1rem">Merged: ${assetLink(p.asset)} ${p.to_version} is live.</div>` : ''}

  <h2>Changes <span class="count">${plural(d.changes.length, 'change')}, ${breaking} breaking</span></h2>
  <div class="panel">${changeList(d.changes, 'No schema changes recorded.')}</div>

  ${scopePanel(d)}

  <h2>Teams <span class="count">${d.answers.filter((a) => a.state === 'approved').length} of ${d.answers.length} approved</span></h2>
  <div class="panel"><table id="answers">
    <thead><tr><th>Team</th><th>Answer</th><th>Note</th><th>By</th><th>When</th></tr></thead>
    <tbody>${d.answers.length === 0
      ? html`<tr><td colspan="5" class="empty">No consumer teams are required.</td></tr>`
      : d.answers.map(
          (a) => html`<tr data-team="${a.team}">
        <td>${teamLink(a.team)}</td>
        <td>${answerPill(a.state)}</td>
        <td class="small">${a.ack?.note ?? ''}</td>
        <td class="small">${a.ack?.by ?? ''}</td>
        <td class="small">${a.ack ? when(a.ack.at) : ''}</td>
      </tr>`,
        )}</tbody></table></div>
  ${d.open && d.blocked.length ? html`<p class="verdict breaking">Blocked by ${d.blocked.join(', ')}: it cannot merge until they answer otherwise or the change is re-proposed.</p>` : ''}
  ${d.open && d.pending.length ? html`<p class="muted">Waiting for ${d.pending.join(', ')}.</p>` : ''}
  <h2>Notified <span class="count">${plural(d.notifications.length, 'delivery', 'deliveries')}</span></h2>
  <div class="panel"><table id="notified">
    <thead><tr><th>Channel</th><th>Event</th><th>State</th><th>When</th></tr></thead>
    <tbody>${d.notifications.length === 0
      ? html`<tr><td colspan="4" class="empty">Nobody yet: tessera notify delivers through the teams' channels.</td></tr>`
      : d.notifications.map(
          (n) => html`<tr data-channel="${n.channel}">
        <td>${n.channel}</td>
        <td class="small">${n.type}</td>
        <td class="small">${n.state === 'delivered' ? 'delivered' : n.state === 'dead' ? `dead-lettered: ${n.last_error ?? ''}` : `retrying: ${n.last_error ?? ''}`}</td>
        <td class="small">${when(n.delivered_at ?? n.last_attempt_at)}</td>
      </tr>`,
        )}</tbody></table></div>
  ${actions ?? ''}
  ${d.open ? html`<h2>Your answer</h2>${form.actorLabel && d.actorTeams.length === 0 ? html`<p class="muted" id="not-asked">This proposal does not ask ${form.actorLabel} for an answer.</p>` : ackForm(d, form)}` : ''}
  `;
}
