/**
 * 30 consumer teams acknowledge one proposal at once from 30 processes (each
 * its own machine) into a remote served by `git daemon` on 127.0.0.1: every
 * ack is recorded exactly once, the proposal merges exactly once, and nothing
 * is lost or left behind. Timing lives in bench/acks.bench.mjs, not here.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { checkOutcome, runAcks, setupAckScenario, type AckScenario } from '../helpers/daemon.js';

const TEAMS = 30;
let scenario: AckScenario | undefined;

afterAll(async () => {
  await scenario?.close();
});

describe('an ack burst from 30 teams', () => {
  it('records every ack exactly once and merges once', async () => {
    scenario = await setupAckScenario({ teams: TEAMS });
    const run = await runAcks(scenario, { mode: 'burst' });

    expect(run.acks.map((a) => a.team).sort()).toEqual(scenario.teams);
    // Exactly one process performed the merge; the others saw it pending or already done.
    expect(run.mergedBy).toHaveLength(1);
    expect(await checkOutcome(scenario)).toEqual([]);
  }, 170_000);
});
