/** The page shell: header with navigation, banners, content, footer (pure). */
import { html, type SafeHtml } from '../html.js';
import type { Chrome } from '../../http/model.js';

/** The chrome of a page; `session` when signed in with a key under `tessera serve`. */
export interface PageChrome extends Omit<Chrome, 'nav'> {
  nav: Chrome['nav'] | 'inbox' | 'publish' | 'signin';
  session?: { team: string; key: string; token: string };
  /** Under `tessera serve`, nobody signed in. */
  signedOut?: boolean;
}

const NAV: Array<[PageChrome['nav'], string, string]> = [
  ['overview', '/', 'Overview'],
  ['assets', '/assets', 'Assets'],
  ['proposals', '/proposals', 'Proposals'],
  ['teams', '/teams', 'Teams'],
  ['log', '/log', 'Audit log'],
];

const TEAM_NAV: Array<[PageChrome['nav'], string, string]> = [
  ['inbox', '/inbox', 'Inbox'],
  ['publish', '/publish', 'Publish'],
];

function who(chrome: PageChrome): SafeHtml {
  if (chrome.session) {
    return html`signed in as team <b id="signed-in-team">${chrome.session.team}</b> <span class="small">(key ${chrome.session.key})</span>
    <form class="signout" method="post" action="/signout"><input type="hidden" name="token" value="${chrome.session.token}"><button type="submit" id="sign-out">Sign out</button></form>`;
  }
  if (chrome.nav === 'signin') return html``;
  if (chrome.signedOut) return html`<a href="/signin">Sign in</a>`;
  return chrome.actor ? html`acting as <b>${chrome.actor}</b>` : html`<span title="set GIT_AUTHOR_EMAIL or git config user.email">no git identity</span>`;
}

export function layout(chrome: PageChrome, content: SafeHtml): string {
  const nav = chrome.nav === 'signin' ? [] : chrome.session ? [...NAV, ...TEAM_NAV] : NAV;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${chrome.title} · Tessera</title>
<link rel="stylesheet" href="/static/tessera.css">
<script src="/static/tessera.js" defer></script>
</head>
<body>
<header class="top">
  <a class="brand" href="/"><span class="mark" aria-hidden="true"><i></i><i></i><i></i><i></i></span>Tessera</a>
  <nav class="main">${nav.map(([key, href, label]) => html`<a href="${href}"${key === chrome.nav ? html` aria-current="page"` : ''}>${label}</a>`)}</nav>
  <div class="who">${who(chrome)}</div>
</header>
<main>
${chrome.warning ? html`<div class="banner warn" role="status">${chrome.warning}</div>` : ''}
${chrome.flash ? html`<div class="banner ${chrome.flash.kind}" role="${chrome.flash.kind === 'error' ? 'alert' : 'status'}" id="flash">${chrome.flash.text}</div>` : ''}
${content}
</main>
<footer>${chrome.registry ? html`${chrome.registry} · ` : ''}${chrome.commit ? html`main @ <span class="mono">${chrome.commit.slice(0, 12)}</span> · ` : ''}<a href="${chrome.session || chrome.signedOut ? '/api/v1/openapi.json' : '/api/v1/assets'}">JSON API</a></footer>
</body>
</html>
`.value;
}
