/** The audience rules and the reading of trailers into events: pure functions, real inputs. */
import { describe, expect, it } from 'vitest';
import { audienceOf } from '../../src/core/notify/audience.js';
import { eventId, eventsOfCommit, pendingAfterAnswers, type EventCommit, type EventStub } from '../../src/core/notify/events.js';
import { channelWants, nextDelivery } from '../../src/core/notify/delivery.js';
import { parseTrailerLines } from '../../src/core/commit-message.js';

const facts = { owner: 'core', required: ['growth', 'finance'], consumers: ['growth', 'finance', 'late'] };

describe('audiences (issue 14)', () => {
  it('proposal.created and superseded: the required teams and the owner', () => {
    expect(audienceOf('proposal.created', facts)).toEqual(['core', 'finance', 'growth']);
    expect(audienceOf('proposal.superseded', facts)).toEqual(['core', 'finance', 'growth']);
  });
  it('acked, blocked, migrating: the owner only', () => {
    for (const t of ['proposal.acked', 'proposal.blocked', 'proposal.migrating'] as const) expect(audienceOf(t, facts)).toEqual(['core']);
  });
  it('merged, withdrawn, expired, forced: the required teams and the owner', () => {
    for (const t of ['proposal.merged', 'proposal.withdrawn', 'proposal.expired', 'contract.forced'] as const) expect(audienceOf(t, facts)).toEqual(['core', 'finance', 'growth']);
  });
  it('contract.published: the consumers; quality.failed: the consumers and the owner', () => {
    expect(audienceOf('contract.published', facts)).toEqual(['finance', 'growth', 'late']);
    expect(audienceOf('quality.failed', facts)).toEqual(['core', 'finance', 'growth', 'late']);
  });
});

const commit = (trailers: string, changed: EventCommit['changed'] = []): EventCommit => ({ commit: 'a'.repeat(40), at: '2026-01-01T00:00:00Z', actor: 'x@acme.com', trailers: parseTrailerLines(trailers), changed });

describe('events of a commit', () => {
  it('an ack commit is acked, blocked or migrating by its Decision trailer', () => {
    const [e] = eventsOfCommit(commit('Tessera-Event: proposal.acked\nTessera-Asset: users\nTessera-Proposal: p-1\nTessera-Team: growth\nTessera-Decision: block'));
    expect(e).toMatchObject({ type: 'proposal.blocked', proposal: 'p-1', team: 'growth', asset: 'users' });
  });
  it('one expiry commit closing two proposals is two events with distinct, stable ids', () => {
    const c = commit('Tessera-Event: proposal.expired\nTessera-Asset: a\nTessera-Asset: b\nTessera-Closed-Proposals: p-1 p-2');
    const es = eventsOfCommit(c);
    expect(es.map((e) => e.proposal)).toEqual(['p-1', 'p-2']);
    expect(es[0]!.id).not.toBe(es[1]!.id);
    expect(eventsOfCommit(c).map((e) => e.id)).toEqual(es.map((e) => e.id));
    expect(es[0]!.id).toBe(eventId(c.commit, 'proposal.expired', 'p-1//'));
  });
  it('an expiry commit without proposal trailers: the proposal records it wrote', () => {
    const es = eventsOfCommit(commit('Tessera-Event: proposal.expired\nTessera-Asset: users', [{ status: 'A', path: 'proposals/p-9.yaml' }, { status: 'D', path: 'proposals/p-0.yaml' }]));
    expect(es.map((e) => e.proposal)).toEqual(['p-9']);
  });
  it('a dbt sync is one contract.published per version file it added; a forced close is contract.forced', () => {
    const es = eventsOfCommit(commit('Tessera-Event: dbt.synced\nTessera-Asset: a\nTessera-Asset: b', [{ status: 'A', path: 'assets/a/versions/1.1.0.yaml' }, { status: 'M', path: 'assets/b/asset.yaml' }]));
    expect(es.map((e) => [e.type, e.asset, e.version])).toEqual([['contract.published', 'a', '1.1.0']]);
    expect(eventsOfCommit(commit('Tessera-Event: proposal.forced\nTessera-Asset: a\nTessera-Proposal: p-1'))[0]!.type).toBe('contract.forced');
  });
  it('events nobody is notified of give nothing', () => {
    expect(eventsOfCommit(commit('Tessera-Event: team.created\nTessera-Team: growth'))).toEqual([]);
  });
});

describe('who still has to answer, as of each answer', () => {
  it('counts approvals before the answer; a block takes one back; a supersede starts again', () => {
    const e = (id: string, type: EventStub['type'], team?: string): EventStub => ({ id, type, commit: 'c', at: 't', actor: 'a', proposal: 'p-1', ...(team ? { team } : {}) });
    const stubs = [e('1', 'proposal.created'), e('2', 'proposal.acked', 'growth'), e('3', 'proposal.blocked', 'growth'), e('4', 'proposal.acked', 'finance'), e('5', 'proposal.superseded'), e('6', 'proposal.acked', 'growth')];
    const p = pendingAfterAnswers(stubs, () => ['finance', 'growth']);
    expect([...p.entries()]).toEqual([['2', ['finance']], ['3', ['finance', 'growth']], ['4', ['growth']], ['6', ['finance']]]);
  });
});

describe('delivery records', () => {
  const settings = { max_attempts: 3, retry_after_seconds: 60, timeout_seconds: 10 };
  const ev = { id: 'evt_' + '0'.repeat(24), type: 'proposal.created' };
  const now = new Date('2026-01-01T00:00:00Z');
  it('a channel wants events from its creation on, for its teams', () => {
    const ch = { teams: ['growth'], created_at: '2026-01-01T00:00:00Z' };
    expect(channelWants(ch, { audience: ['growth'], at: '2025-12-31T23:59:59Z' })).toBe(false);
    expect(channelWants(ch, { audience: ['growth'], at: '2026-01-01T00:00:00Z' })).toBe(true);
    expect(channelWants(ch, { audience: ['finance'], at: '2026-01-02T00:00:00Z' })).toBe(false);
  });
  it('retryable failures back off, doubling, and are dead after max_attempts; a 4xx is dead at once; a final record is kept', () => {
    const f = { ok: false, retryable: true, status: 500, error: 'HTTP 500' };
    const one = nextDelivery(undefined, ev, 'c', f, now, settings)!;
    expect(one).toMatchObject({ state: 'retrying', attempts: 1, next_attempt_at: '2026-01-01T00:01:00Z' });
    const two = nextDelivery(one, ev, 'c', f, now, settings)!;
    expect(two).toMatchObject({ state: 'retrying', attempts: 2, next_attempt_at: '2026-01-01T00:02:00Z' });
    expect(nextDelivery(two, ev, 'c', f, now, settings)).toMatchObject({ state: 'dead', attempts: 3, last_error: 'HTTP 500' });
    const gone = nextDelivery(undefined, ev, 'c', { ok: false, retryable: false, status: 404, error: 'HTTP 404' }, now, settings)!;
    expect(gone).toMatchObject({ state: 'dead', attempts: 1, status: 404 });
    const done = nextDelivery(one, ev, 'c', { ok: true, retryable: false, status: 200 }, now, settings)!;
    expect(done).toMatchObject({ state: 'delivered', attempts: 2 });
    expect(nextDelivery(done, ev, 'c', f, now, settings)).toBeUndefined();
  });
});
