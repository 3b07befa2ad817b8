/** Small shared pieces of the pages (pure). */
import { html, seg, type SafeHtml } from '../html.js';
import type { ProposalSummary } from '../../http/model.js';

export function when(iso: string | undefined): SafeHtml {
  if (!iso) return html`<span class="muted">–</span>`;
  const d = new Date(iso);
  const shown = Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  return html`<time datetime="${iso}" title="${iso}">${shown}</time>`;
}

export const assetLink = (id: string) => html`<a class="id" href="/assets/${seg(id)}">${id}</a>`;
export const teamLink = (team: string) => html`<a href="/teams#team-${seg(team)}">${team}</a>`;
export const proposalLink = (id: string) => html`<a class="id" href="/proposals/${seg(id)}">${id}</a>`;

export function statusPill(status: string, expired = false): SafeHtml {
  if (status === 'open' && expired) return html`<span class="pill warn">expired</span>`;
  const cls = status === 'open' ? 'info' : status === 'merged' ? 'good' : status === 'forced' ? 'bad' : '';
  return html`<span class="pill ${cls}">${status}</span>`;
}

export function answerPill(state: string): SafeHtml {
  const cls = state === 'approved' ? 'good' : state === 'blocked' ? 'bad' : state === 'migrating' ? 'warn' : '';
  return html`<span class="pill ${cls}">${state}</span>`;
}

export function verdict(breaking: boolean): SafeHtml {
  return breaking ? html`<span class="verdict breaking">breaking</span>` : html`<span class="verdict compatible">compatible</span>`;
}

/** Ack progress: a bar and "2 of 3 approved". */
export function progress(p: ProposalSummary): SafeHtml {
  const n = Math.max(1, p.required.length);
  const pct = (k: number) => `${((k / n) * 100).toFixed(1)}%`;
  return html`<div class="progress" role="img" aria-label="${p.approved.length} of ${p.required.length} approved">
      <i class="a" style="width:${pct(p.approved.length)}"></i><i class="m" style="width:${pct(p.migrating.length)}"></i><i class="b" style="width:${pct(p.blocked.length)}"></i>
    </div>
    <div class="small muted">${p.approved.length} of ${p.required.length} approved${p.blocked.length ? html` · <span class="verdict breaking">blocked by ${p.blocked.join(', ')}</span>` : ''}${p.pending.length ? ` · waiting for ${p.pending.join(', ')}` : ''}</div>`;
}

export function plural(n: number, one: string, many = one + 's'): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

export function proposalTable(rows: ProposalSummary[], empty: string): SafeHtml {
  if (rows.length === 0) return html`<div class="panel empty">${empty}</div>`;
  return html`<div class="panel"><table>
    <thead><tr><th>Proposal</th><th>Asset</th><th>Change</th><th>Status</th><th style="width:26%">Acks</th><th>Expires / closed</th></tr></thead>
    <tbody>${rows.map(
      (p) => html`<tr>
        <td>${proposalLink(p.id)}</td>
        <td>${assetLink(p.asset)}</td>
        <td class="mono">${p.from_version} → ${p.to_version} <span class="pill bad">${plural(p.breaking, 'breaking change')}</span></td>
        <td>${statusPill(p.status, p.expired)}</td>
        <td>${p.status === 'open' ? progress(p) : html`<span class="small muted">${p.required.join(', ') || 'no teams'}</span>`}</td>
        <td class="small">${p.status === 'open' ? when(p.expires_at) : when(p.closed_at)}</td>
      </tr>`,
    )}</tbody></table></div>`;
}
