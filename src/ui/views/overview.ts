/** Overview: counts, open proposals with their ack progress, the latest events (pure). */
import { html, type SafeHtml } from '../html.js';
import type { Overview } from '../../http/model.js';
import { eventTable } from './log.js';
import { plural, proposalTable } from './parts.js';

export function overviewPage(o: Overview): SafeHtml {
  const card = (n: number, label: string, href: string) =>
    html`<a class="panel card" href="${href}"><div class="n">${n.toLocaleString('en-US')}</div><div class="l">${label}</div></a>`;
  return html`
  <h1>${o.name ?? 'Registry overview'}</h1>
  <p class="sub">Data contracts, their consumers, and the breaking changes waiting for acknowledgment.</p>
  <section class="cards" aria-label="counts">
    ${card(o.counts.assets, 'assets', '/assets')}
    ${card(o.counts.teams, 'teams', '/teams')}
    ${card(o.counts.openProposals, 'open proposals', '/proposals?status=open')}
    ${o.counts.versions !== undefined ? card(o.counts.versions, 'published versions', '/log?event=contract.published') : ''}
  </section>
  <h2>Open proposals <span class="count">${o.open.length}</span></h2>
  ${proposalTable(o.open, 'No open proposals: every published contract is live.')}
  <h2>Latest events</h2>
  ${eventTable(o.events, 'No events yet.')}
  <p class="small"><a href="/log">Full audit log →</a></p>
  ${o.counts.assets === 0 ? html`<p class="muted">${plural(0, 'asset')} yet. Publish one with <code>tessera publish &lt;asset&gt; schema.json --owner &lt;team&gt;</code>.</p>` : ''}
  `;
}
