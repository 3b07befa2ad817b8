/** One asset: contract columns with quality, versions and a diff, consumers, proposals, lineage (pure). */
import { html, seg, type SafeHtml } from '../html.js';
import type { AssetDetail, GuaranteeView } from '../../http/model.js';
import { diffView } from './diff.js';
import { assetLink, plural, proposalTable, teamLink, when } from './parts.js';

function guaranteeChip(g: GuaranteeView): SafeHtml {
  const q = g.quality;
  const title = q ? `${q.status}${q.failures !== undefined ? `, ${q.failures} failing rows` : ''}${q.executed_at ? ` at ${q.executed_at}` : ''}${q.message ? `: ${q.message}` : ''}` : 'no data-quality result yet';
  return html`<span class="chip" title="${title}"><span class="dot ${q?.status ?? ''}"></span>${g.label}${q ? html` <span class="muted">${q.status}${q.failures ? ` (${q.failures})` : ''}</span>` : ''}</span>`;
}

function versionOptions(d: AssetDetail, selected: string | undefined): SafeHtml {
  return html`${d.versions.map((v) => html`<option value="${v.version}"${v.version === selected ? html` selected` : ''}>${v.version}</option>`)}`;
}

/** `actions`: the team-wide UI's panel (register, publish), shown under the header. */
export function assetPageView(d: AssetDetail, actions?: SafeHtml): SafeHtml {
  const a = d.asset;
  const v = d.current;
  const open = d.proposals.filter((p) => p.status === 'open');
  return html`
  <p class="small muted"><a href="/assets">Assets</a> /</p>
  <h1><span class="mono">${a.id}</span> <span class="pill info">${a.kind}</span>${a.retired ? html` <span class="pill warn">retired</span>` : ''}</h1>
  <div class="meta">
    <span>owner <b>${teamLink(a.owner)}</b></span>
    <span>version <b class="mono" id="current-version">${a.current_version}</b></span>
    <span>mode <b>${v.compatibility_mode}</b></span>
    <span>content model <b>${v.content_model}</b></span>
    ${a.guarantee_mode ? html`<span>guarantees <b>${a.guarantee_mode}</b></span>` : ''}
    <span>published ${when(v.published_at)} by ${v.published_by}${v.via !== 'direct' ? html` <span class="pill">${v.via}</span>` : ''}</span>
    ${a.origin ? html`<span>origin <b>${a.origin.system}</b>${a.origin.unique_id ? html` <span class="mono">${a.origin.unique_id}</span>` : ''}</span>` : ''}
  </div>
  ${a.description ? html`<p class="description">${a.description}</p>` : ''}
  ${a.tags.length ? html`<p>${a.tags.map((t) => html`<span class="tag">${t}</span>`)}</p>` : ''}
  ${open.length ? html`<div class="banner warn" style="margin-top:1rem">A breaking change is waiting for acknowledgment: ${open.map((p) => html`<a href="/proposals/${seg(p.id)}">${p.id}</a> (${p.from_version} → ${p.to_version})`)}</div>` : ''}
  ${v.forced ? html`<div class="banner error" style="margin-top:1rem">Version ${v.version} was forced: ${v.forced.reason}</div>` : ''}
  ${actions ?? ''}

  <div class="grid2">
    <section>
      <h2>Columns <span class="count">${d.columns.length}</span></h2>
      <div class="panel"><table>
        <thead><tr><th>Column</th><th>Type</th><th>Required</th><th>Format</th><th>Guarantees · latest result</th></tr></thead>
        <tbody>${d.columns.length === 0
          ? html`<tr><td colspan="5" class="empty">The schema has no top-level properties.</td></tr>`
          : d.columns.map(
              (c) => html`<tr>
          <td><span class="id">${c.name}</span>${c.description ? html`<div class="small muted">${c.description}</div>` : ''}</td>
          <td class="mono">${c.type}</td>
          <td>${c.required ? html`<span class="pill info">required</span>` : html`<span class="small muted">optional</span>`}</td>
          <td class="mono small">${c.format ?? ''}</td>
          <td>${c.guarantees.length ? c.guarantees.map(guaranteeChip) : html`<span class="small muted">–</span>`}</td>
        </tr>`,
            )}</tbody></table></div>
      ${d.tableGuarantees.length ? html`<p class="small">Table guarantees: ${d.tableGuarantees.map(guaranteeChip)}</p>` : ''}
      <p class="small muted">${d.quality.present ? `Data-quality results from quality.yaml (${plural(d.quality.results.length, 'result')}).` : 'No data-quality results recorded yet.'}${d.quality.problem ? html` <span class="verdict breaking">${d.quality.problem}</span>` : ''}</p>
    </section>
    <aside>
      <h2>Consumers <span class="count">${d.consumers.length}</span></h2>
      <div class="panel">${d.consumers.length === 0
        ? html`<div class="empty">No consumer teams registered.</div>`
        : html`<table><tbody>${d.consumers.map(
            (c) => html`<tr><td>${teamLink(c.team)}${c.purpose ? html`<div class="small muted">${c.purpose}</div>` : ''}${c.fields?.length ? html`<div>${c.fields.map((f) => html`<span class="chip">${f}</span>`)}</div>` : ''}</td><td class="small muted">since ${when(c.registered_at)}</td></tr>`,
          )}</tbody></table>`}</div>
      <h2>Lineage</h2>
      <div class="panel pad small">
        <dl class="kv">
          <dt>Downstream</dt><dd>${d.downstream.length ? d.downstream.map((x, i) => html`${i ? ', ' : ''}${x.known ? assetLink(x.id) : html`<span class="mono">${x.id}</span>`}`) : html`<span class="muted">none known</span>`}</dd>
          <dt>Upstream</dt><dd>${d.upstream.length ? d.upstream.map((x, i) => html`${i ? ', ' : ''}${assetLink(x)}`) : html`<span class="muted">none known</span>`}</dd>
        </dl>
      </div>
    </aside>
  </div>

  <h2>Versions <span class="count">${d.versions.length}</span></h2>
  <div class="panel"><table>
    <thead><tr><th>Version</th><th>Published</th><th>By</th><th>How</th><th class="num">Changes</th></tr></thead>
    <tbody>${d.versions.map(
      (x) => html`<tr>
      <td class="mono">${x.version}${x.version === a.current_version ? html` <span class="pill good">current</span>` : ''}</td>
      <td class="small">${when(x.published_at)}</td>
      <td class="small">${x.published_by}</td>
      <td class="small">${x.via}${x.proposal ? html` · <a class="mono" href="/proposals/${seg(x.proposal)}">${x.proposal}</a>` : ''}</td>
      <td class="num small">${x.changes}${x.breaking ? html` <span class="verdict breaking">(${x.breaking} breaking)</span>` : ''}</td>
    </tr>`,
    )}</tbody></table></div>

  <h2>Diff</h2>
  ${d.versions.length < 2
    ? html`<p class="muted">Only one version so far: nothing to compare.</p>`
    : html`<form class="filters" method="get" action="/assets/${seg(a.id)}" data-autosubmit>
      <label>From<select name="from">${versionOptions(d, d.diff?.from)}</select></label>
      <label>To<select name="to">${versionOptions(d, d.diff?.to)}</select></label>
      <button type="submit">Compare</button>
    </form>`}
  ${d.diffProblem ? html`<div class="banner error">${d.diffProblem}</div>` : ''}
  ${d.diff ? diffView(d.diff) : ''}

  <h2>Proposals <span class="count">${d.proposals.length}</span></h2>
  ${proposalTable(d.proposals, 'No proposals for this asset.')}
  `;
}
