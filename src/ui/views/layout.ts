/** The page shell: header with navigation, banners, content, footer (pure). */
import { html, type SafeHtml } from '../html.js';
import type { Chrome } from '../../http/model.js';

const NAV: Array<[Chrome['nav'], string, string]> = [
  ['overview', '/', 'Overview'],
  ['assets', '/assets', 'Assets'],
  ['proposals', '/proposals', 'Proposals'],
  ['teams', '/teams', 'Teams'],
  ['log', '/log', 'Audit log'],
];

export function layout(chrome: Chrome, content: SafeHtml): string {
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
  <nav class="main">${NAV.map(([key, href, label]) => html`<a href="${href}"${key === chrome.nav ? html` aria-current="page"` : ''}>${label}</a>`)}</nav>
  <div class="who">${chrome.actor ? html`acting as <b>${chrome.actor}</b>` : html`<span title="set GIT_AUTHOR_EMAIL or git config user.email">no git identity</span>`}</div>
</header>
<main>
${chrome.warning ? html`<div class="banner warn" role="status">${chrome.warning}</div>` : ''}
${chrome.flash ? html`<div class="banner ${chrome.flash.kind}" role="${chrome.flash.kind === 'error' ? 'alert' : 'status'}" id="flash">${chrome.flash.text}</div>` : ''}
${content}
</main>
<footer>${chrome.registry}${chrome.commit ? html` · main @ <span class="mono">${chrome.commit.slice(0, 12)}</span>` : ''} · <a href="/api/v1/assets">JSON API</a></footer>
</body>
</html>
`.value;
}
