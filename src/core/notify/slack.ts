/**
 * The `slack` channel format: an incoming-webhook message, Block Kit blocks
 * plus the plain `text` Slack shows in notifications and to screen readers.
 * Slack refuses a whole message (HTTP 400 invalid_blocks) when one element is
 * over its limit, so every text is cut to fit rather than risk a lost message.
 */
import { digestFooter, digestItems, digestTitle, itemExpiry, itemVersions } from './digest.js';
import { DIGEST_TYPE } from './payloads.js';
import { failureLine, summarise } from './summary.js';
import type { Channel, NotificationEvent } from './types.js';

/** Slack's own limits: header text 150, section text 3000, a field 2000, at most 10 fields per section. */
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const FIELD_MAX = 2000;
const FIELDS_MAX = 10;
/** A message holds at most 50 blocks; a digest keeps room for its header, overflow note and footer. */
const DIGEST_ITEMS_MAX = 45;

export interface SlackMessage {
  text: string;
  blocks: Array<Record<string, unknown>>;
}

/** mrkdwn treats &, < and > as control characters (links, mentions); user text must not become one. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** Lines joined until `max`, then "… and N more" so a reader knows the list goes on. */
function fitLines(head: string, lines: string[], max: number): string {
  let out = head;
  for (let i = 0; i < lines.length; i++) {
    const more = `\n… and ${lines.length - i} more`;
    if (out.length + 1 + lines[i]!.length + more.length > max) return out + more;
    out += `\n${lines[i]}`;
  }
  return out;
}

const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const section = (text: string) => ({ type: 'section', text: mrkdwn(cut(text, SECTION_MAX)) });

export function slackMessage(event: NotificationEvent, channel: Channel): SlackMessage {
  if (event.type === DIGEST_TYPE) return slackDigest(event);
  const s = summarise(event, channel);
  const blocks: Array<Record<string, unknown>> = [{ type: 'header', text: { type: 'plain_text', text: cut(s.title, HEADER_MAX), emoji: false } }];
  if (s.facts.length) blocks.push({ type: 'section', fields: s.facts.slice(0, FIELDS_MAX).map(([k, v]) => mrkdwn(cut(`*${k}*\n${escapeMrkdwn(v)}`, FIELD_MAX))) });
  if (s.changes.length) {
    const lines = s.changes.map((c) => `• ${c.breaking ? '*breaking*' : 'compatible'} \`${escapeMrkdwn(c.rule)}\` at \`${escapeMrkdwn(c.path || '/')}\`${c.message ? `: ${escapeMrkdwn(c.message)}` : ''}`);
    blocks.push(section(fitLines('*Changes*', lines, SECTION_MAX)));
  }
  if (s.failures.length) blocks.push(section(fitLines('*Failing tests*', s.failures.map((f) => `• ${escapeMrkdwn(failureLine(f))}`), SECTION_MAX)));
  if (s.pending.length) blocks.push(section(`*Still to answer:* ${escapeMrkdwn(s.pending.join(', '))}`));
  if (s.commands.length) blocks.push(section(`*To answer:*\n\`\`\`${escapeMrkdwn(s.commands.join('\n'))}\`\`\``));
  if (s.link) blocks.push({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in Tessera' }, url: s.link }] });
  blocks.push({ type: 'context', elements: [mrkdwn(escapeMrkdwn(s.footer))] });

  const text = [
    s.title,
    s.changes.some((c) => c.breaking) ? `breaking: ${s.changes.filter((c) => c.breaking).map((c) => c.rule).join(', ')}` : '',
    s.pending.length ? `still to answer: ${s.pending.join(', ')}` : '',
    s.commands.join('; '),
    s.link ?? '',
  ]
    .filter(Boolean)
    .join(' · ');
  // Escape before cutting, and drop an entity the cut split, so the limit holds for what Slack receives.
  return { text: cut(escapeMrkdwn(text), SECTION_MAX).replace(/&[a-z]*…$/, '…'), blocks };
}

/** A reminder digest: one section per waiting proposal with its expiry, breaking rule ids and ack command. */
function slackDigest(event: NotificationEvent): SlackMessage {
  const items = digestItems(event);
  const title = digestTitle(event, items.length);
  const e = escapeMrkdwn;
  const blocks: Array<Record<string, unknown>> = [{ type: 'header', text: { type: 'plain_text', text: cut(title, HEADER_MAX), emoji: false } }];
  for (const i of items.slice(0, DIGEST_ITEMS_MAX)) {
    const rules = i.breaking_rules.length ? `\n*Breaking:* ${i.breaking_rules.map((r) => `\`${e(r)}\``).join(', ')}` : '';
    blocks.push(section(`*${e(i.asset)}* ${e(itemVersions(i))} · proposal \`${e(i.proposal)}\`\n*Created:* ${e(i.created_at)}   *Expires:* ${i.expires_soon ? ':warning: ' : ''}${e(itemExpiry(i))}${rules}\n\`\`\`${e(i.ack_command)}\`\`\``));
  }
  if (items.length > DIGEST_ITEMS_MAX) blocks.push(section(`… and ${items.length - DIGEST_ITEMS_MAX} more: \`tessera proposals --pending-for ${e(event.team ?? '')}\``));
  blocks.push({ type: 'context', elements: [mrkdwn(e(digestFooter(event)))] });
  const text = [title, ...items.map((i) => `${i.proposal} ${i.asset} expires ${itemExpiry(i)}: ${i.ack_command}`)].join(' · ');
  return { text: cut(e(text), SECTION_MAX).replace(/&[a-z]*…$/, '…'), blocks };
}
