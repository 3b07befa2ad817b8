/**
 * The team-wide UI of `tessera serve` in Chromium (the set-up of
 * browser.test.ts): sign in with a key; the producer withdraws one proposal
 * and force-publishes another with a reason, and publishes through the
 * preview; a consumer registers from the asset page and acks from the inbox;
 * a POST without the CSRF token gets 403; signing out ends the session.
 * Screenshots go to docs/screenshots/{inbox,publish-preview}.png with
 * TESSERA_UPDATE_SCREENSHOTS=1, else to a temp dir.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { cleanupTempDirs, refState, writeJson } from '../helpers/machines.js';
import type { Served } from '../serve/harness.js';
import { browserAvailable, expectPng, launchBrowser, screenshotDir, watchedPage } from './harness.js';
import { request } from './http.js';
import { buildTeamScenario, PAYMENTS_V2, PAYMENTS_V3, secretOf, startTeamServe, type TeamScenario } from './team-harness.js';

const SHOTS = screenshotDir();

let s: TeamScenario;
let served: Served;
let browser: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

const RUN = browserAvailable();

beforeAll(async () => {
  if (!RUN) return;
  s = await buildTeamScenario();
  served = await startTeamServe(s);
  browser = await launchBrowser();
  page = await watchedPage(browser, pageErrors);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await served?.stop();
  cleanupTempDirs();
});

async function go(p: string): Promise<number> {
  const res = await page.goto(new URL(p, served.url).href);
  return res?.status() ?? 0;
}

async function signInAs(key: string, team: string): Promise<void> {
  if ((await page.locator('#sign-out').count()) > 0) {
    await page.click('#sign-out');
    await page.waitForSelector('#signin');
  }
  if ((await page.locator('#signin').count()) === 0) await go('/signin');
  await page.fill('#signin-key', key);
  await page.click('#signin button[type=submit]');
  await page.waitForSelector('#signed-in-team');
  expect(await page.locator('#signed-in-team').innerText()).toBe(team);
}

async function sessionCookie(): Promise<string> {
  const c = (await browser.cookies(served.url)).find((x) => x.name === 'tessera_session');
  if (!c) throw new Error('no session cookie');
  return c.value;
}

const flash = () => page.locator('#flash').innerText();

describe.skipIf(!RUN)('tessera serve: the team-wide web UI in Chromium', () => {
  it('sign in with a key: without a session every page is the sign-in form; a wrong key is refused; the key signs in and returns to the page asked for', async () => {
    expect(await go('/proposals')).toBe(401);
    expect(await page.locator('#signin').count()).toBe(1);
    await page.fill('#signin-key', 'tsk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    await page.click('#signin button[type=submit]');
    await page.waitForSelector('#signin-error');
    expect(await page.locator('#signin-error').innerText()).toMatch(/^the API key is not valid/);
    await page.fill('#signin-key', s.keys.core);
    await page.click('#signin button[type=submit]');
    await page.waitForURL(/\/proposals$/);
    expect(await page.locator('#signed-in-team').innerText()).toBe('core');
    const cookie = (await browser.cookies(served.url)).find((x) => x.name === 'tessera_session')!;
    expect([cookie.httpOnly, cookie.sameSite, cookie.secure]).toEqual([true, 'Strict', false]);
    expect(cookie.value).not.toContain(secretOf(s.keys.core).slice(0, 8));
    // HttpOnly: the page's script cannot read it.
    expect(await page.evaluate(() => document.cookie)).not.toContain('tessera_session');
    expect(await page.locator('nav.main a').allInnerTexts()).toEqual(['Overview', 'Assets', 'Proposals', 'Teams', 'Audit log', 'Inbox', 'Publish']);
  });

  it('the producer withdraws the users proposal from its page', async () => {
    expect(await go(`/proposals/${s.usersProposal}`)).toBe(200);
    // core owns it and is not asked: no answer form, the producer's actions instead.
    expect(await page.locator('#not-asked').innerText()).toMatch(/^This proposal does not ask team core \(key pat-laptop\) for an answer\.$/);
    expect(await page.locator('form.ackform').count()).toBe(0);
    await page.fill('#withdraw-reason', 'email stays after all');
    await page.click('#withdraw button[type=submit]');
    await page.waitForSelector('#flash');
    expect(await flash()).toBe(`Withdrew ${s.usersProposal} (users 2.0.0).`);
    expect(await page.locator('h1 .pill').innerText()).toBe('withdrawn');
    expect(await page.locator('#producer-actions').count()).toBe(0);
    const cli = JSON.parse((await s.producer.run(['show', s.usersProposal, '--json'])).stdout) as { proposal: { status: string; closed_by: string } };
    expect(cli.proposal.status).toBe('withdrawn');
    // Acting as the key, as the API does.
    expect(cli.proposal.closed_by).toMatch(/^key-[0-9a-f]{12}@core\.keys\.tessera\.invalid$/);
  });

  it("force without a reason shows the CLI's refusal and writes nothing; with a reason it publishes web.events over the missing ack", async () => {
    const cli = await s.producer.run(['publish', 'web.events', s.eventsV2File, '--force']);
    expect(cli.exitCode).toBe(2);
    const cliMessage = cli.stderr.trim().replace(/^tessera: /, '');
    const before = await refState(s.registry);
    expect(await go(`/proposals/${s.eventsProposal}`)).toBe(200);
    await page.click('#force button[type=submit]');
    await page.waitForSelector('.banner.error');
    expect(await page.locator('.banner.error').innerText()).toBe(cliMessage);
    expect(await refState(s.registry)).toBe(before);

    await page.fill('#force-reason', 'team-c agreed in INC-42');
    await page.click('#force button[type=submit]');
    await page.waitForSelector('#flash.ok');
    expect(await flash()).toBe(`Force-published web.events 2.0.0 over ${s.eventsProposal} without team-c. Reason recorded: team-c agreed in INC-42`);
    expect(await page.locator('h1 .pill').innerText()).toBe('forced');
    await go('/assets/web.events');
    expect(await page.locator('#current-version').innerText()).toBe('2.0.0');
    expect(await page.locator('.banner.error', { hasText: 'was forced' }).innerText()).toBe('Version 2.0.0 was forced: team-c agreed in INC-42');
  });

  it('publish with a preview: a compatible change of payments shows its diff and verdict, writes nothing, then publishes on confirm', async () => {
    await go('/assets/payments');
    await page.click('#publish-link');
    await page.waitForURL(/\/publish\?asset=payments$/);
    expect(await page.inputValue('#publish-asset')).toBe('payments');
    await page.fill('#publish-schema', JSON.stringify(PAYMENTS_V2, null, 2));
    const before = await refState(s.registry);
    await page.click('#publish button[type=submit]');
    await page.waitForSelector('#verdict');
    expect(await page.locator('#verdict').getAttribute('data-action')).toBe('published');
    expect(await page.locator('#verdict').innerText()).toMatch(/^Compatible\. payments 1\.0\.0 → 1\.1\.0 will be published\./);
    expect(await page.locator('#diff li.compatible .path').allInnerTexts()).toContain('/properties/currency');
    expect(await refState(s.registry)).toBe(before);
    const confirmForm = { token: await page.inputValue('#confirm input[name=token]'), draft: await page.inputValue('#confirm input[name=draft]') };
    await page.click('#confirm-publish');
    await page.waitForURL(/\/assets\/payments\?flash=/);
    expect(await flash()).toBe('Published payments 1.1.0.');
    expect(await page.locator('#current-version').innerText()).toBe('1.1.0');
    // A preview is confirmed once: sending the same confirm again is refused, and writes nothing.
    const after = await refState(s.registry);
    const again = await page.evaluate(async (f) => {
      const r = await fetch('/publish/confirm', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(f).toString() });
      return { status: r.status, text: await r.text() };
    }, confirmForm);
    expect(again.status).toBe(409);
    expect(again.text).toMatch(/already been used/);
    expect(await refState(s.registry)).toBe(after);
  });

  it('signing out ends the session: the old cookie then gets the sign-in page (401)', async () => {
    const old = await sessionCookie();
    await page.click('#sign-out');
    await page.waitForSelector('#signin');
    expect(new URL(page.url()).pathname).toBe('/signin');
    expect((await browser.cookies(served.url)).find((c) => c.name === 'tessera_session')).toBeUndefined();
    const replay = await request(served.url, '/inbox', { headers: { Cookie: `tessera_session=${old}` } });
    expect(replay.status).toBe(401);
    expect(replay.body).toContain('id="signin"');
    expect(await go('/inbox')).toBe(401);
  });

  it('a consumer (team-c) registers from the asset page', async () => {
    await signInAs(s.keys.teamC, 'team-c');
    await go('/assets/payments');
    expect(await page.locator('aside').innerText()).not.toMatch(/team-c/);
    await page.fill('#register-purpose', 'revenue dashboard');
    await page.fill('#register-fields', 'payment_id, amount');
    await page.click('#register button[type=submit]');
    await page.waitForSelector('#flash');
    expect(await flash()).toBe('team-c is registered as a consumer of payments.');
    expect(await page.locator('aside').innerText()).toMatch(/team-c\s+revenue dashboard/);
    expect(await page.locator('#unregister').count()).toBe(1);
    const shown = JSON.parse((await s.producer.run(['show', 'payments', '--json'])).stdout) as { consumers: Array<{ team: string; fields?: string[]; registered_by: string }> };
    const c = shown.consumers.find((x) => x.team === 'team-c')!;
    expect(c.fields).toEqual(['payment_id', 'amount']);
  });

  it('a POST without the CSRF token gets 403 and changes nothing', async () => {
    await go('/assets/payments');
    const before = await refState(s.registry);
    const status = await page.evaluate(async () => {
      const r = await fetch('/assets/payments/unregister', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: '' });
      return r.status;
    });
    expect(status).toBe(403);
    expect(await refState(s.registry)).toBe(before);
    // The form itself, with its token, would have worked: the button is still there.
    expect(await page.locator('#unregister').count()).toBe(1);
  });

  it('the producer uploads a breaking schema: the preview says whom it waits for; confirm opens the proposal', async () => {
    await signInAs(s.keys.core, 'core');
    await go('/publish?asset=payments');
    await page.setInputFiles('#publish-file', writeJson(s.root, 'payments-v3.json', PAYMENTS_V3));
    const before = await refState(s.registry);
    await page.click('#publish button[type=submit]');
    await page.waitForSelector('#verdict');
    expect(await page.locator('#verdict').getAttribute('data-action')).toBe('breaking');
    expect(await page.locator('#verdict').innerText()).toBe('Breaking. Confirming opens a proposal 1.1.0 → 2.0.0 that waits for 1 team: team-c.');
    expect(await page.locator('#diff li.breaking .path').allInnerTexts()).toContain('/properties/amount');
    expect(await refState(s.registry)).toBe(before);
    await page.screenshot({ path: path.join(SHOTS, 'publish-preview.png'), fullPage: true });
    expectPng(SHOTS, 'publish-preview.png');
    await page.click('#confirm-publish');
    await page.waitForURL(/\/proposals\/p-[0-9a-f]+\?flash=/);
    expect(await flash()).toMatch(/^Opened proposal p-[0-9a-f]+ for payments 1\.1\.0 → 2\.0\.0: waiting for team-c\.$/);
  });

  it('the consumer acks from the inbox: a block without a note is refused; the approval is the last one and merges it', async () => {
    await signInAs(s.keys.teamC, 'team-c');
    expect(await go('/inbox')).toBe(200);
    const items = page.locator('.inbox-item');
    expect(await items.count()).toBe(1);
    const item = items.first();
    const id = (await item.getAttribute('data-proposal'))!;
    expect(await item.locator('ul.diff li.breaking .rule').first().innerText()).toMatch(/^PROPERTY_REMOVED/);
    await page.screenshot({ path: path.join(SHOTS, 'inbox.png'), fullPage: true });
    expectPng(SHOTS, 'inbox.png');

    const before = await refState(s.registry);
    await item.locator('button.block').click();
    await page.waitForSelector('.banner.error');
    expect(await page.locator('.banner.error').innerText()).toMatch(/^a block needs --note/);
    expect(await refState(s.registry)).toBe(before);

    await go('/inbox');
    await page.locator('.inbox-item textarea[name=note]').fill('dashboard reads currency now');
    await page.locator('.inbox-item button.approve').click();
    await page.waitForURL(/\/inbox\?flash=/);
    expect(await flash()).toBe(`team-c approved ${id}. Every team has approved: payments 2.0.0 is merged and live.`);
    expect(await page.locator('#inbox-empty').innerText()).toBe('Nothing is waiting for team-c.');
    const shown = JSON.parse((await s.producer.run(['show', 'payments', '--json'])).stdout) as { asset: { current_version: string } };
    expect(shown.asset.current_version).toBe('2.0.0');
    const log = await s.producer.run(['log', '--json']);
    expect(log.stdout).toMatch(/team-c/);
  });

  it('ran no script errors on any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
