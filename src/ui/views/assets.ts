/** The asset list: search and filters, one page of results (pure). */
import { html, query, type SafeHtml } from '../html.js';
import type { AssetPage } from '../../http/model.js';
import { assetLink, plural, teamLink } from './parts.js';

function select(name: string, label: string, all: string, options: string[], selected: string | undefined): SafeHtml {
  return html`<label>${label}<select name="${name}"><option value="">${all}</option>${options.map((o) => html`<option value="${o}"${selected === o ? html` selected` : ''}>${o}</option>`)}</select></label>`;
}

export function assetResults(p: AssetPage): SafeHtml {
  const f = p.filter;
  const link = (offset: number) => `/assets${query({ q: f.q, owner: f.owner, kind: f.kind, consumer: f.consumer, offset: offset || undefined })}`;
  const end = p.offset + p.rows.length;
  const body =
    p.rows.length === 0
      ? html`<div class="empty">${p.total === 0 ? 'No assets yet. Publish one with tessera publish.' : 'No assets match these filters.'}</div>`
      : html`<table>
    <thead><tr><th>Asset</th><th>Owner</th><th>Kind</th><th>Version</th><th>Consumers</th></tr></thead>
    <tbody>${p.rows.map(
      (r) => html`<tr>
        <td>${assetLink(r.id)}${r.retired ? html` <span class="pill warn">retired</span>` : ''}${r.description ? html`<div class="desc" title="${r.description}">${r.description}</div>` : ''}${r.tags.length ? html`<div>${r.tags.map((t) => html`<span class="tag">${t}</span>`)}</div>` : ''}</td>
        <td>${teamLink(r.owner)}</td>
        <td class="small">${r.kind}</td>
        <td class="mono">${r.current_version}</td>
        <td class="small">${r.consumers.length ? r.consumers.map((c, i) => html`${i ? ', ' : ''}${teamLink(c)}`) : html`<span class="muted">none</span>`}</td>
      </tr>`,
    )}</tbody></table>`;
  return html`<section id="asset-results" class="panel" aria-live="polite">
    ${body}
    <div class="pager"><span>${p.matched === 0 ? '' : `${(p.offset + 1).toLocaleString('en-US')}–${end.toLocaleString('en-US')} of `}${plural(p.matched, 'asset')}${p.matched !== p.total ? ` (of ${p.total.toLocaleString('en-US')})` : ''}</span>
    <span>${p.offset > 0 ? html`<a href="${link(Math.max(0, p.offset - p.limit))}" rel="prev">← previous</a>` : ''} ${end < p.matched ? html`<a href="${link(end)}" rel="next">next →</a>` : ''}</span></div>
  </section>`;
}

export function assetsPage(p: AssetPage): SafeHtml {
  const f = p.filter;
  return html`
  <h1>Assets</h1>
  <p class="sub">${plural(p.total, 'asset')} with published contracts.</p>
  <form class="filters" method="get" action="/assets" data-autosubmit data-results="#asset-results" role="search">
    <label>Search<input type="search" name="q" value="${f.q ?? ''}" placeholder="id, description or tag" autocomplete="off"></label>
    ${select('owner', 'Owner', 'any owner', p.owners, f.owner)}
    ${select('kind', 'Kind', 'any kind', p.kinds, f.kind)}
    ${select('consumer', 'Consumer team', 'any consumer', p.consumerTeams, f.consumer)}
    <button type="submit">Filter</button>
  </form>
  ${assetResults(p)}
  `;
}
