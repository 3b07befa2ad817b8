/**
 * `tessera ui` delivers its acks' events inline, as a CLI ack does (issue
 * 14), after the response: an approval through the page reaches the owner
 * team's webhook, and the server's log says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs } from '../helpers/machines.js';
import { receiver, type Receiver } from '../notify/helpers/receivers.js';
import { buildScenario, startUi, type RunningUi, type Scenario } from './harness.js';
import { form, request } from './http.js';

let s: Scenario;
let ui: RunningUi;
let hook: Receiver;

beforeAll(async () => {
  s = await buildScenario();
  const added = await s.producer.run(['channel', 'add', 'core-hooks', '--type', 'webhook', '--team', 'core', '--url-env', 'OWNER_URL']);
  expect(added.exitCode, added.stderr).toBe(0);
  hook = await receiver();
  ui = await startUi(s.reviewer, [], { OWNER_URL: hook.url });
}, 120_000);

afterAll(async () => {
  await ui?.stop();
  await hook?.close();
  cleanupTempDirs();
});

describe('tessera ui: an ack tells the owner', () => {
  it("team-b's approval through the page reaches core's webhook as proposal.acked", async () => {
    const page = await request(ui.url, `/proposals/${s.proposalId}`);
    const token = /name="token" value="([^"]+)"/.exec(page.body)?.[1];
    expect(token, 'the proposal page carries the form token').toBeDefined();
    const r = await request(ui.url, `/proposals/${s.proposalId}/ack`, { method: 'POST', body: form({ token: token!, team: 'team-b', decision: 'approve' }), headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: new URL(ui.url).origin } });
    expect(r.status, r.body.slice(0, 300)).toBeLessThan(400);
    // The receiver has it before the server has recorded and logged it: wait for both (a deadline, not a speed bound).
    const logged = /tessera: notified core-hooks: proposal\.acked \(evt_[0-9a-f]+\)/;
    for (const end = Date.now() + 20_000; Date.now() < end && !(hook.uniqueOfType('proposal.acked').length > 0 && logged.test(ui.output())); ) await new Promise((res) => setTimeout(res, 50));
    expect(hook.uniqueOfType('proposal.acked'), ui.output()).toHaveLength(1);
    expect(ui.output()).toMatch(logged);
  });
});
