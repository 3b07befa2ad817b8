/** The audit log page and the event table the overview shares (pure). */
import { html, join, type SafeHtml } from '../html.js';
import type { LogEntry } from '../../registry/log.js';
import type { LogPage } from '../../http/model.js';
import { assetLink, plural, proposalLink, teamLink, when } from './parts.js';

function eventPill(event: string): SafeHtml {
  const cls = event.endsWith('merged') || event === 'contract.published' ? 'good' : event.endsWith('created') ? 'info' : event.includes('block') || event.endsWith('forced') ? 'bad' : '';
  return html`<span class="pill ${cls}">${event}</span>`;
}

function about(e: LogEntry): SafeHtml {
  const parts: SafeHtml[] = [];
  if (e.assets.length) {
    parts.push(html`${e.assets.slice(0, 3).map((a, i) => html`${i ? ', ' : ''}${assetLink(a)}`)}${e.assets.length > 3 ? ` +${e.assets.length - 3}` : ''}${e.version ? html` <span class="mono">${e.version}</span>` : ''}`);
  }
  if (e.proposal) parts.push(proposalLink(e.proposal));
  if (e.team) parts.push(html`team ${teamLink(e.team)}`);
  return join(parts, ' · ');
}

export function eventTable(entries: LogEntry[], empty: string): SafeHtml {
  if (entries.length === 0) return html`<div class="panel empty">${empty}</div>`;
  return html`<div class="panel"><table>
    <thead><tr><th>When</th><th>Event</th><th>Actor</th><th>About</th><th>Commit</th></tr></thead>
    <tbody>${entries.map(
      (e) => html`<tr>
        <td class="small">${when(e.time)}</td>
        <td>${eventPill(e.event)}${e.trailers['Tessera-Decision']?.[0] ? html` <span class="small muted">${e.trailers['Tessera-Decision']![0]}</span>` : ''}</td>
        <td class="small">${e.actor}</td>
        <td class="small">${about(e)}</td>
        <td class="mono small muted" title="${e.subject}">${e.commit.slice(0, 10)}</td>
      </tr>`,
    )}</tbody></table></div>`;
}

export function logPageView(p: LogPage): SafeHtml {
  const f = p.filter;
  return html`
  <h1>Audit log</h1>
  <p class="sub">Every change to the registry, read from the <code>Tessera-*</code> trailers of the main branch's commits.</p>
  <form class="filters" method="get" action="/log" data-autosubmit>
    <label>Event<select name="event"><option value="">any event</option>${p.events.map((e) => html`<option value="${e}"${f.event === e ? html` selected` : ''}>${e}</option>`)}</select></label>
    <label>Asset<input type="text" name="asset" value="${f.asset ?? ''}" placeholder="asset id"></label>
    <label>Team or actor<input type="text" name="team" value="${f.team ?? ''}" placeholder="team or email"></label>
    <label>Since<input type="date" name="since" value="${f.since ?? ''}"></label>
    <label>Until<input type="date" name="until" value="${f.until ?? ''}"></label>
    <button type="submit">Filter</button>
  </form>
  <p class="small muted">${plural(p.total, 'event')}${p.total > p.entries.length ? `, showing the latest ${p.entries.length}` : ''}</p>
  ${eventTable(p.entries, 'No events match.')}
  `;
}
