/** A rendered diff: every change with its rule id, verdict and the catalog's meaning (pure). */
import { html, type SafeHtml } from '../html.js';
import type { ChangeView, DiffView } from '../../http/model.js';
import { verdict } from './parts.js';

export function changeList(changes: ChangeView[], empty: string): SafeHtml {
  if (changes.length === 0) return html`<div class="empty">${empty}</div>`;
  return html`<ul class="diff">${changes.map(
    (c) => html`<li class="${c.breaking ? 'breaking' : 'compatible'}">
      <div>${verdict(c.breaking)}</div>
      <div>
        <div><span class="rule">${c.rule}</span> <span class="path">${c.path || '/'}</span></div>
        <div>${c.message}</div>
        ${c.meaning ? html`<div class="meaning">${c.meaning}</div>` : ''}
      </div>
    </li>`,
  )}</ul>`;
}

export function diffView(d: DiffView): SafeHtml {
  const breaking = d.changes.filter((c) => c.breaking).length + d.guarantees.filter((g) => g.breaking).length;
  return html`<div class="panel" id="diff">
    <div class="pad" style="padding:.8rem 1rem;border-bottom:1px solid var(--line)">
      <b class="mono">${d.from} → ${d.to}</b>
      ${d.compatible ? html`<span class="pill good">compatible</span>` : html`<span class="pill bad">${breaking} breaking</span>`}
      <span class="small muted">under <code>${d.mode}</code>, content model <code>${d.contentModel}</code>; suggested bump <b>${d.bump}</b></span>
    </div>
    ${changeList(d.changes, 'The two schemas are identical.')}
    ${d.hints.length ? html`<div class="pad small muted" style="padding:.6rem 1rem;border-top:1px solid var(--line)">Hint: ${d.hints.join('; ')}</div>` : ''}
    ${d.guarantees.length
      ? html`<ul class="diff" style="border-top:1px solid var(--line)">${d.guarantees.map(
          (g) => html`<li class="${g.breaking ? 'breaking' : g.severity === 'warning' ? 'warning' : 'compatible'}"><div>${g.breaking ? verdict(true) : html`<span class="pill ${g.severity === 'warning' ? 'warn' : ''}">${g.severity}</span>`}</div>
          <div><span class="rule">${g.rule}</span> <span class="path">${g.guarantee}</span><div>${g.message}</div></div></li>`,
        )}</ul>`
      : ''}
  </div>`;
}
