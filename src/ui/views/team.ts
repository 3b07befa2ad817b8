/**
 * The pages and panels only the team-wide UI (`tessera serve`) has: sign-in,
 * the inbox, publishing with a preview, and the action panels of the asset
 * and proposal pages (pure).
 */
import { html, seg, type SafeHtml } from '../html.js';
import type { DiffView, ProposalDetail } from '../../http/model.js';
import { ackForm } from './proposals.js';
import { changeList, diffView } from './diff.js';
import { assetLink, plural, proposalLink, when } from './parts.js';

const hidden = (name: string, value: string) => html`<input type="hidden" name="${name}" value="${value}">`;

export function signinPage(form: { token: string; next?: string; message?: string }): SafeHtml {
  return html`
  <h1>Sign in</h1>
  <p class="sub">Paste an API key of your team (<code>tessera key create --team &lt;team&gt;</code> prints one). You act as that team until you sign out; the key itself is not kept in your browser.</p>
  ${form.message ? html`<div class="banner error" role="alert" id="signin-error">${form.message}</div>` : ''}
  <form class="panel pad stack teamform" method="post" action="/signin" id="signin">
    ${hidden('token', form.token)}
    ${form.next ? hidden('next', form.next) : ''}
    <label>API key<input type="password" name="key" id="signin-key" autocomplete="off" spellcheck="false" placeholder="tsk_…" required></label>
    <div class="actions"><button class="approve" type="submit">Sign in</button></div>
  </form>`;
}

/** Register or unregister the signed-in team; a publish link for the owner team. */
export function assetActions(a: { id: string; owner: string }, team: string, consumes: boolean, token: string): SafeHtml {
  const register = consumes
    ? html`<form method="post" action="/assets/${seg(a.id)}/unregister" class="inline" id="unregister">${hidden('token', token)}
        <span>Team <b>${team}</b> consumes ${a.id}.</span> <button type="submit" class="block">Unregister ${team}</button></form>`
    : html`<form method="post" action="/assets/${seg(a.id)}/register" class="row" id="register">${hidden('token', token)}
        <label class="grow">Purpose<input type="text" name="purpose" id="register-purpose" placeholder="what your team uses it for"></label>
        <label>Fields <span class="muted">(comma-separated; empty: all)</span><input type="text" name="fields" id="register-fields" placeholder="user_id, email"></label>
        <button type="submit" class="approve">Register ${team} as a consumer</button></form>`;
  return html`<section class="panel pad teamform" id="asset-actions" style="margin-top:1rem">
    ${register}
    ${a.owner === team ? html`<p class="small" style="margin:.6rem 0 0"><a class="button" id="publish-link" href="/publish?asset=${seg(a.id)}">Publish a new version of ${a.id}</a></p>` : ''}
  </section>`;
}

/** The producer's actions on an open proposal: withdraw, merge, force with a reason. */
export function producerActions(id: string, token: string): SafeHtml {
  return html`<h2>Producer actions</h2>
  <div class="panel pad teamform stack" id="producer-actions">
    <form method="post" action="/proposals/${seg(id)}/withdraw" class="row" id="withdraw">${hidden('token', token)}
      <label class="grow">Reason <span class="muted">(optional)</span><input type="text" name="reason" id="withdraw-reason" placeholder="why it is withdrawn"></label>
      <button type="submit" class="migrating">Withdraw</button></form>
    <form method="post" action="/proposals/${seg(id)}/merge" class="row" id="merge">${hidden('token', token)}
      <span class="grow small muted">Merge once every consumer team has approved (the last approval merges it by itself).</span>
      <button type="submit" class="approve">Merge</button></form>
    <form method="post" action="/proposals/${seg(id)}/force" class="row" id="force">${hidden('token', token)}
      <label class="grow">Reason <span class="muted">(required, recorded in the version)</span><textarea name="reason" id="force-reason" placeholder="why it goes live without every team's approval"></textarea></label>
      <button type="submit" class="block">Force-publish</button></form>
  </div>`;
}

export function inboxPage(team: string, items: ProposalDetail[], token: string, actorLabel: string): SafeHtml {
  return html`
  <h1>Waiting for ${team}</h1>
  <p class="sub">Open proposals that need an answer from team ${team}. Approve, say you are migrating, or block with a note.</p>
  ${items.length === 0
    ? html`<div class="panel empty" id="inbox-empty">Nothing is waiting for ${team}.</div>`
    : items.map(
        (d) => html`<section class="panel pad inbox-item" data-proposal="${d.proposal.id}" style="margin-bottom:1.2rem">
      <h2 style="margin-top:0">${proposalLink(d.proposal.id)} · ${assetLink(d.proposal.asset)} <span class="mono">${d.proposal.from_version} → ${d.proposal.to_version}</span></h2>
      <div class="meta"><span>by ${d.proposal.author}</span><span>expires <b>${when(d.proposal.expires_at)}</b></span><span>${d.answers.filter((a) => a.state === 'approved').length} of ${d.answers.length} approved</span></div>
      <div class="panel" style="margin:.8rem 0">${changeList(d.changes, 'No schema changes recorded.')}</div>
      ${ackForm(d, { token, returnTo: 'inbox', actorLabel, team })}
    </section>`,
      )}`;
}

export interface PublishFormState {
  token: string;
  asset?: string;
  schemaText?: string;
  message?: string;
}

export function publishPage(f: PublishFormState): SafeHtml {
  return html`
  <h1>Publish a contract</h1>
  <p class="sub">Paste or upload a JSON Schema (or a contract file with <code>schema</code>, <code>compatibility_mode</code>, <code>guarantees</code>). The next step shows the diff and the verdict; nothing is written until you confirm.</p>
  ${f.message ? html`<div class="banner error" role="alert" id="publish-error">${f.message}</div>` : ''}
  <form class="panel pad stack teamform" method="post" action="/publish/preview" enctype="multipart/form-data" id="publish">
    ${hidden('token', f.token)}
    <label>Asset<input type="text" name="asset" id="publish-asset" value="${f.asset ?? ''}" placeholder="asset id, e.g. users" required></label>
    <label>Schema<textarea name="schema" id="publish-schema" rows="14" class="mono" placeholder='{"type": "object", "properties": {…}}'>${f.schemaText ?? ''}</textarea></label>
    <label>…or upload a file<input type="file" name="file" id="publish-file" accept=".json,.yaml,.yml,application/json"></label>
    <div class="actions"><button class="approve" type="submit">Preview</button></div>
  </form>`;
}

export interface PublishPreview {
  asset: string;
  token: string;
  draft: string;
  /** created | published | unchanged | breaking */
  action: string;
  version: string;
  from?: string;
  owner?: string;
  consumers: string[];
  diff?: DiffView;
}

function verdictLine(p: PublishPreview): SafeHtml {
  switch (p.action) {
    case 'created':
      return html`<b>New asset.</b> ${p.asset} ${p.version} will be created, owned by ${p.owner ?? ''}.`;
    case 'unchanged':
      return html`<b>Unchanged.</b> The contract is the same as ${p.asset} ${p.version}: confirming writes nothing.`;
    case 'published':
      return html`<span class="verdict compatible">Compatible.</span> ${p.asset} ${p.from ?? ''} → ${p.version} will be published.`;
    default:
      return p.consumers.length
        ? html`<span class="verdict breaking">Breaking.</span> Confirming opens a proposal ${p.from ?? ''} → ${p.version} that waits for ${plural(p.consumers.length, 'team')}: ${p.consumers.join(', ')}.`
        : html`<span class="verdict breaking">Breaking</span>, but no team consumes ${p.asset}: confirming publishes ${p.version} as a new major version.`;
  }
}

export function previewPage(p: PublishPreview): SafeHtml {
  return html`
  <p class="small muted"><a href="/publish?asset=${seg(p.asset)}">Publish</a> /</p>
  <h1>Preview: <span class="mono">${p.asset}</span></h1>
  <div class="banner ${p.action === 'breaking' ? 'warn' : 'ok'}" id="verdict" data-action="${p.action}">${verdictLine(p)}</div>
  ${p.diff ? diffView(p.diff) : ''}
  <form class="panel pad teamform" method="post" action="/publish/confirm" id="confirm" style="margin-top:1rem">
    ${hidden('token', p.token)}${hidden('draft', p.draft)}
    <div class="actions">
      <button class="approve" type="submit" id="confirm-publish">${p.action === 'breaking' && p.consumers.length ? 'Open the proposal' : 'Publish'}</button>
      <a class="button" href="/publish?asset=${seg(p.asset)}">Start over</a>
    </div>
    <p class="small muted" style="margin:.6rem 0 0">Nothing has been written yet. Confirming runs the same checks as <code>tessera publish</code>.</p>
  </form>`;
}
