/**
 * The `email` channel format: a subject, a short plain-text body and the
 * same in HTML. The Message-ID is derived from the event id, so a message
 * sent twice (two runs racing before either recorded it) carries the same id
 * and mail systems that deduplicate on it show it once.
 */
import { digestFooter, digestItems, digestTitle, itemExpiry, itemVersions, type DigestItem } from './digest.js';
import { DIGEST_TYPE } from './payloads.js';
import { changeLine, failureLine, summarise, type Summary } from './summary.js';
import type { Channel, NotificationEvent } from './types.js';

export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

function textBody(s: Summary): string {
  const parts: string[] = [s.title, s.facts.map(([k, v]) => `${k}: ${v}`).join('\n')];
  if (s.changes.length) parts.push(['Changes:', ...s.changes.map((c) => `- ${changeLine(c)}`)].join('\n'));
  if (s.failures.length) parts.push(['Failing tests:', ...s.failures.map((f) => `- ${failureLine(f)}`)].join('\n'));
  if (s.pending.length) parts.push(`Still to answer: ${s.pending.join(', ')}`);
  if (s.commands.length) parts.push(['To answer:', ...s.commands.map((c) => `  ${c}`)].join('\n'));
  if (s.link) parts.push(`Open: ${s.link}`);
  parts.push(`-- \n${s.footer}`);
  return `${parts.filter(Boolean).join('\n\n')}\n`;
}

function htmlBody(s: Summary): string {
  const e = escapeHtml;
  const out: string[] = [`<h2>${e(s.title)}</h2>`];
  if (s.facts.length) out.push(`<table>${s.facts.map(([k, v]) => `<tr><th align="left">${e(k)}</th><td>${e(v)}</td></tr>`).join('')}</table>`);
  if (s.changes.length) out.push(`<h3>Changes</h3><ul>${s.changes.map((c) => `<li>${c.breaking ? '<strong>breaking</strong>' : 'compatible'} <code>${e(c.rule)}</code> at <code>${e(c.path || '/')}</code>${c.message ? `: ${e(c.message)}` : ''}</li>`).join('')}</ul>`);
  if (s.failures.length) out.push(`<h3>Failing tests</h3><ul>${s.failures.map((f) => `<li>${e(failureLine(f))}</li>`).join('')}</ul>`);
  if (s.pending.length) out.push(`<p><strong>Still to answer:</strong> ${e(s.pending.join(', '))}</p>`);
  if (s.commands.length) out.push(`<p>To answer:</p><pre>${e(s.commands.join('\n'))}</pre>`);
  if (s.link) out.push(`<p><a href="${e(s.link)}">Open in Tessera</a></p>`);
  out.push(`<p style="color:#666;font-size:small">${e(s.footer)}</p>`);
  return `<!doctype html>\n<html><body>\n${out.join('\n')}\n</body></html>\n`;
}

const messageIdOf = (event: NotificationEvent) => `<${event.id.replace(/[^A-Za-z0-9._-]/g, '')}@tessera.notify>`;
// A header must stay one line whatever the event's text holds.
const subjectOf = (title: string) => `[tessera] ${title}`.replace(/[\r\n]+/g, ' ');

export function emailMessage(event: NotificationEvent, channel: Channel): EmailMessage {
  if (event.type === DIGEST_TYPE) return digestEmail(event);
  const s = summarise(event, channel);
  return { subject: subjectOf(s.title), text: textBody(s), html: htmlBody(s), messageId: messageIdOf(event) };
}

function digestText(title: string, items: DigestItem[], footer: string): string {
  const blocks = items.map((i) =>
    [
      `- ${i.asset} ${itemVersions(i)} (proposal ${i.proposal})`,
      `  Created: ${i.created_at}`,
      `  Expires: ${itemExpiry(i)}`,
      ...(i.breaking_rules.length ? [`  Breaking: ${i.breaking_rules.join(', ')}`] : []),
      `  To answer: ${i.ack_command}`,
    ].join('\n'),
  );
  return `${[`${title}.`, ...blocks, `-- \n${footer}`].join('\n\n')}\n`;
}

function digestHtml(title: string, items: DigestItem[], footer: string): string {
  const e = escapeHtml;
  const rows = items.map(
    (i) =>
      `<li><strong>${e(i.asset)}</strong> ${e(itemVersions(i))} (proposal <code>${e(i.proposal)}</code>)<br>Created: ${e(i.created_at)}<br>Expires: ${i.expires_soon ? `<strong>${e(itemExpiry(i))}</strong>` : e(itemExpiry(i))}` +
      `${i.breaking_rules.length ? `<br>Breaking: ${i.breaking_rules.map((r) => `<code>${e(r)}</code>`).join(', ')}` : ''}<br>To answer: <pre>${e(i.ack_command)}</pre></li>`,
  );
  return `<!doctype html>\n<html><body>\n<h2>${e(title)}</h2>\n<ul>${rows.join('')}</ul>\n<p style="color:#666;font-size:small">${e(footer)}</p>\n</body></html>\n`;
}

/** A reminder digest: every waiting proposal with its expiry, breaking rule ids and ack command. */
function digestEmail(event: NotificationEvent): EmailMessage {
  const items = digestItems(event);
  const title = digestTitle(event, items.length);
  const footer = digestFooter(event);
  return { subject: subjectOf(title), text: digestText(title, items, footer), html: digestHtml(title, items, footer), messageId: messageIdOf(event) };
}
