/**
 * Issue 4, "what it must show" 1: the seed scenario with a bare remote and
 * three clones (producer, consumer teams B and C), through the real binary.
 */
import { afterAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bareRemote, cleanupTempDirs, gitIn, machine, tempDir, writeJson, USERS_V1, USERS_V2_NO_EMAIL } from '../helpers/machines.js';

afterAll(cleanupTempDirs);

describe('seed scenario: a breaking change waits for every consumer team', () => {
  it('proposes, collects acks from two clones, merges by itself, and logs the story', async () => {
    const root = tempDir();
    const remote = await bareRemote(root);
    const url = pathToFileURL(remote).href;
    const clone = (n: string) => path.join(root, `${n}-clone`);
    const producer = machine(root, 'pat', 'pat@acme.com', { TESSERA_REGISTRY: clone('producer') });
    const b = machine(root, 'bea', 'bea@acme.com', { TESSERA_REGISTRY: clone('b') });
    const c = machine(root, 'cid', 'cid@acme.com', { TESSERA_REGISTRY: clone('c') });

    expect((await producer.run(['init', clone('producer'), '--remote', url])).exitCode).toBe(0);
    expect((await b.run(['init', clone('b'), '--remote', url])).exitCode).toBe(0);
    expect((await c.run(['init', clone('c'), '--remote', url])).exitCode).toBe(0);
    expect((await producer.run(['team', 'add', 'core', '--member', 'pat@acme.com'])).exitCode).toBe(0);
    expect((await b.run(['team', 'add', 'team-b', '--member', 'bea@acme.com'])).exitCode).toBe(0);
    expect((await c.run(['team', 'add', 'team-c', '--member', 'cid@acme.com'])).exitCode).toBe(0);

    const v1 = writeJson(root, 'users.json', { schema: USERS_V1, compatibility_mode: 'backward' });
    expect((await producer.run(['publish', 'users', v1, '--owner', 'core'])).exitCode).toBe(0);
    expect((await b.run(['consume', 'users', '--team', 'team-b'])).exitCode).toBe(0);
    expect((await c.run(['consume', 'users', '--team', 'team-c'])).exitCode).toBe(0);

    // The producer removes `email`: a proposal, and main does not move.
    const mainBefore = await gitIn(remote, ['rev-parse', 'main']);
    const v2 = writeJson(root, 'users-v2.json', USERS_V2_NO_EMAIL);
    const proposed = await producer.run(['publish', 'users', v2, '--json']);
    expect(proposed.exitCode, proposed.stderr).toBe(0);
    const proposal = JSON.parse(proposed.stdout) as { action: string; version: string; proposal: { id: string; required_teams: string[] } };
    expect(proposal).toMatchObject({ action: 'proposal.created', version: '2.0.0', proposal: { required_teams: ['team-b', 'team-c'] } });
    const id = proposal.proposal.id;
    expect(await gitIn(remote, ['rev-parse', 'main'])).toBe(mainBefore);

    // B acks: still open, pending for C only, as C sees it from its own clone.
    const ackB = await b.run(['ack', id, '--team', 'team-b', '--json']);
    expect(ackB.exitCode, ackB.stderr).toBe(0);
    expect(JSON.parse(ackB.stdout)).toMatchObject({ merged: false, pending: ['team-c'] });
    const seenByC = JSON.parse((await c.run(['proposals', '--pending-for', 'team-c', '--json'])).stdout);
    expect(seenByC.proposals.map((p: { id: string }) => p.id)).toEqual([id]);
    expect(seenByC.proposals[0].pending).toEqual(['team-c']);
    const showC = JSON.parse((await c.run(['show', id, '--json'])).stdout);
    expect(showC.answers.map((a: { team: string; state: string }) => `${a.team}:${a.state}`)).toEqual(['team-b:approved', 'team-c:pending']);
    expect(await gitIn(remote, ['rev-parse', 'main'])).toBe(mainBefore);

    // C acks: the proposal merges by itself.
    const ackC = await c.run(['ack', id, '--team', 'team-c', '--json']);
    expect(ackC.exitCode, ackC.stderr).toBe(0);
    expect(JSON.parse(ackC.stdout)).toMatchObject({ merged: true });

    for (const m of [producer, b, c]) {
      const shown = JSON.parse((await m.run(['show', 'users', '--json'])).stdout);
      expect(shown.asset.current_version).toBe('2.0.0');
      expect(Object.keys(shown.version.schema.properties)).not.toContain('email');
      expect(shown.version.via).toBe('proposal');
    }
    // The branch and ack refs are gone; the record stays on main.
    expect(await gitIn(remote, ['for-each-ref', 'refs/heads/tessera/', 'refs/tessera/'])).toBe('');
    const record = JSON.parse((await b.run(['show', id, '--json'])).stdout);
    expect(record.proposal.status).toBe('merged');
    // Each team's consumer file carries its ack.
    const consumers = JSON.parse((await b.run(['show', 'users', '--json'])).stdout).consumers as Array<{ team: string; acks: Array<{ decision: string; by: string }> }>;
    expect(consumers.map((k) => `${k.team}:${k.acks.map((a) => `${a.decision}/${a.by}`).join()}`)).toEqual(['team-b:approve/bea@acme.com', 'team-c:approve/cid@acme.com']);

    const log = JSON.parse((await producer.run(['log', '--asset', 'users', '--json'])).stdout) as { events: Array<{ event: string; actor: string; version?: string }> };
    const story = log.events.map((e) => `${e.event} ${e.actor}${e.version ? ' ' + e.version : ''}`).reverse();
    expect(story.slice(0, 4)).toEqual([
      'contract.published pat@acme.com 1.0.0',
      'consumer.registered bea@acme.com',
      'consumer.registered cid@acme.com',
      'proposal.created pat@acme.com 2.0.0',
    ]);
    // The two acks happened in parallel histories; either order tells the story.
    expect(story.slice(4, 6).sort()).toEqual(['proposal.acked bea@acme.com 2.0.0', 'proposal.acked cid@acme.com 2.0.0']);
    expect(story[6]).toBe('proposal.merged cid@acme.com 2.0.0');
    expect(story).toHaveLength(7);
    // The acks themselves are in main's history as their authors' own commits.
    const ackAuthors = await gitIn(remote, ['log', '--format=%ae %s', '--grep=^Tessera-Event: proposal.acked', 'main']);
    expect(ackAuthors).toMatch(/bea@acme\.com team-b approves/);
    expect(ackAuthors).toMatch(/cid@acme\.com team-c approves/);
  });
});
