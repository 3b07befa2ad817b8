import { afterEach, describe, expect, it } from 'vitest';
import { uiUrl } from '../../src/core/notify/links.js';
import { slackMessage } from '../../src/core/notify/slack.js';
import { transports } from '../../src/notify/transports.js';
import { channel, EVENTS } from './fixtures.js';
import { receiver, type Receiver } from './receiver.js';

const created = EVENTS['proposal.created']!;
const finance = channel('slack', { name: 'finance-slack', teams: ['finance'], url_env: 'SLACK_URL' });
const owner = channel('slack', { name: 'core-slack', teams: ['core'], url_env: 'SLACK_URL' });
type Block = { type: string; text?: { text: string }; fields?: Array<{ text: string }>; elements?: Array<Record<string, unknown>> };
const blocksOf = (m: { blocks: unknown[] }) => m.blocks as Block[];
const allText = (m: { text: string; blocks: unknown[] }) => JSON.stringify(m);

describe('slack format', () => {
  it('proposal.created names the asset, versions, breaking rules, who must answer, the ack command and the link', () => {
    const m = slackMessage(created, finance);
    expect(m.text).toBe('Breaking change proposed: analytics.users 1.0.0 → 2.0.0 · breaking: column.removed · still to answer: growth, finance · tessera ack p-3f9a2c1d --team finance · http://tessera.example/proposals/p-3f9a2c1d');
    const b = blocksOf(m);
    expect(b.map((x) => x.type)).toEqual(['header', 'section', 'section', 'section', 'section', 'actions', 'context']);
    expect(b[0]!.text!.text).toBe('Breaking change proposed: analytics.users 1.0.0 → 2.0.0');
    expect(b[1]!.fields!.map((f) => f.text)).toContain('*Asset*\nanalytics.users');
    expect(b[2]!.text!.text).toBe('*Changes*\n• *breaking* `column.removed` at `/properties/email`: column email was removed\n• compatible `column.added` at `/properties/country`: column country was added');
    expect(b[3]!.text!.text).toBe('*Still to answer:* growth, finance');
    expect(b[4]!.text!.text).toBe('*To answer:*\n```tessera ack p-3f9a2c1d --team finance```');
    expect(b[5]!.elements![0]).toMatchObject({ type: 'button', url: 'http://tessera.example/proposals/p-3f9a2c1d' });
    expect(JSON.stringify(b[6])).toContain(created.id);
  });

  it("the owner's channel is told who is pending but gets no ack command (the owner does not ack)", () => {
    const m = slackMessage(created, owner);
    expect(m.text).toContain('still to answer: growth, finance');
    expect(allText(m)).not.toContain('tessera ack');
  });

  it('without a UI base URL, or with a link that is not http(s), there is no button', () => {
    for (const ui_url of [undefined, 'javascript:alert(1)', 'http://x.example/"onmouseover']) {
      const m = slackMessage({ ...created, data: { ...created.data, ui_url } }, finance);
      expect(blocksOf(m).some((x) => x.type === 'actions')).toBe(false);
      expect(allText(m)).not.toContain('javascript:');
    }
  });

  it('user text cannot become a mention or a link', () => {
    const m = slackMessage({ ...created, actor: '<!channel> <https://evil.example|click>', data: { ...created.data, changes: [{ rule: 'column.removed', path: '/p', message: '<!here> & more', breaking: true }] } }, finance);
    const s = allText(m);
    expect(s).not.toMatch(/<!channel>|<!here>|<https:/);
    expect(s).toContain('&lt;!here&gt; &amp; more');
  });

  it('stays within Slack limits however large the change', () => {
    const changes = Array.from({ length: 400 }, (_, i) => ({ rule: 'column.removed', path: `/properties/c${i}`, message: `column c${i} was removed`, breaking: true }));
    const m = slackMessage({ ...created, asset: 'a'.repeat(300), data: { ...created.data, changes } }, finance);
    const b = blocksOf(m);
    expect(b[0]!.text!.text.length).toBeLessThanOrEqual(150);
    for (const x of b) if (x.text && x.type === 'section') expect(x.text.text.length).toBeLessThanOrEqual(3000);
    expect(b[2]!.text!.text).toMatch(/\n… and \d+ more$/);
    expect(m.text.length).toBeLessThanOrEqual(3000);
  });

  it.each(Object.keys(EVENTS))('%s: a header, a footer and a fallback text naming the asset', (type) => {
    const m = slackMessage(EVENTS[type]!, finance);
    const b = blocksOf(m);
    expect(b[0]!.type).toBe('header');
    expect(b.at(-1)!.type).toBe('context');
    expect(m.text).toContain('analytics.users');
  });

  it('merged and forced events list nobody as still to answer; quality.failed lists the failing tests', () => {
    expect(allText(slackMessage(EVENTS['proposal.merged']!, finance))).not.toContain('Still to answer');
    expect(allText(slackMessage(EVENTS['contract.forced']!, finance))).toContain('GDPR deletion, legal deadline');
    expect(allText(slackMessage(EVENTS['quality.failed']!, finance))).toContain('not_null_users_email (column email): got 3 results');
  });
});

describe('slack transport against a real receiver', () => {
  let r: Receiver | undefined;
  afterEach(async () => r?.close());

  it('POSTs {text, blocks} as JSON to the URL in url_env', async () => {
    r = await receiver([{ status: 200, body: 'ok' }]);
    expect(await transports.slack.send(finance, created, { SLACK_URL: r.url }, 5000)).toEqual({ ok: true, retryable: false, status: 200 });
    expect(r.received).toHaveLength(1);
    expect(r.received[0]!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(r.received[0]!.body)).toEqual(slackMessage(created, finance));
  });

  it("Slack's refusals (404 no_service, 410 channel_is_archived) are final and quoted", async () => {
    r = await receiver([{ status: 404, body: 'no_service' }]);
    expect(await transports.slack.send(finance, created, { SLACK_URL: r.url }, 5000)).toEqual({ ok: false, retryable: false, status: 404, error: 'HTTP 404 Not Found: no_service' });
  });

  it('an unset SLACK_URL sends nothing and is skipped', async () => {
    expect(await transports.slack.send(finance, created, {}, 5000)).toMatchObject({ ok: false, skipped: true, error: 'SLACK_URL is not set: channel finance-slack sends nothing until it is' });
  });
});

describe('ui links', () => {
  it("the proposal's page for proposal events, the asset's otherwise, nothing without an http(s) base", () => {
    expect(uiUrl('https://tessera.example.com/', { proposal: 'p-3f9a2c1d', asset: 'analytics.users' })).toBe('https://tessera.example.com/proposals/p-3f9a2c1d');
    expect(uiUrl('https://tessera.example.com/ui', { asset: 'analytics.users' })).toBe('https://tessera.example.com/ui/assets/analytics.users');
    expect(uiUrl(undefined, { asset: 'a' })).toBeUndefined();
    expect(uiUrl('javascript:alert(1)//', { asset: 'a' })).toBeUndefined();
  });
});

describe('slack fallback text', () => {
  it('escaping never pushes it over the limit nor leaves half an entity', () => {
    const m = slackMessage({ ...created, asset: '<'.repeat(2000) }, finance);
    expect(m.text.length).toBeLessThanOrEqual(3000);
    expect(m.text).toMatch(/(&lt;)+…$/);
  });
});
