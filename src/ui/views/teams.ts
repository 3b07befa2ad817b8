/** Teams: members, contact, what each owns and consumes (pure). */
import { html, seg, type SafeHtml } from '../html.js';
import type { TeamView } from '../../http/model.js';
import { assetLink, plural, when } from './parts.js';

const SHOWN = 12;

function assetList(ids: string[], filter: string): SafeHtml {
  if (ids.length === 0) return html`<span class="muted">none</span>`;
  return html`${ids.slice(0, SHOWN).map((id, i) => html`${i ? ', ' : ''}${assetLink(id)}`)}${ids.length > SHOWN ? html` <a href="/assets?${filter}">and ${ids.length - SHOWN} more</a>` : ''}`;
}

export function teamsPage(teams: TeamView[]): SafeHtml {
  return html`
  <h1>Teams</h1>
  <p class="sub">${plural(teams.length, 'team')}. Members are git author emails: they may acknowledge proposals for their team.</p>
  ${teams.length === 0 ? html`<div class="panel empty">No teams yet. Create one with <code>tessera team add &lt;team&gt; --member &lt;email&gt;</code>.</div>` : ''}
  <div class="stack">${teams.map(
    (t) => html`<section class="panel pad" id="team-${t.team.name}">
      <h2 style="margin-top:0">${t.team.name}${t.team.contact ? html` <span class="count small">${t.team.contact}</span>` : ''}</h2>
      <dl class="kv">
        <dt>Members</dt><dd>${t.team.members.length ? t.team.members.join(', ') : html`<span class="muted">no members</span>`}</dd>
        <dt>Owns</dt><dd>${assetList(t.owns, `owner=${seg(t.team.name)}`)}</dd>
        <dt>Consumes</dt><dd>${assetList(t.consumes, `consumer=${seg(t.team.name)}`)}</dd>
        ${t.team.created_at ? html`<dt>Created</dt><dd>${when(t.team.created_at)}${t.team.created_by ? ` by ${t.team.created_by}` : ''}</dd>` : ''}
      </dl>
    </section>`,
  )}</div>`;
}
