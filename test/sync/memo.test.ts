/**
 * The sync-dbt no-change memo (src/cli/sync-dbt/memo.ts): a sync that finds
 * nothing to write records its inputs; the same inputs again print the same
 * result without planning and write nothing; any changed input plans in full.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, gitIn, machine, tempDir } from '../helpers/machines.js';
import { DEMO_DIR } from '../dbt/helpers.js';
import { freshRegistry, type Reg } from './helpers.js';

afterAll(cleanupTempDirs);

const MEMO_LINE = /no changes: same manifest, same registry state as the last sync \(memo/;

/** Every ref and its commit: what a run must leave alone to have written nothing. */
async function refs(registry: string): Promise<string> {
  return gitIn(registry, ['for-each-ref', '--format=%(refname) %(objectname)']);
}

async function sync(reg: Reg, args: string[], code = 0) {
  const r = await reg.ci.run(['sync-dbt', ...args]);
  expect(r.exitCode, r.stderr).toBe(code);
  return { stdout: r.stdout, memo: MEMO_LINE.test(r.stderr), planned: /tessera: planned \d+ manifest assets/.test(r.stderr) };
}

describe('sync-dbt memo', () => {
  const demo = path.join(DEMO_DIR, 'manifest.json');
  const breaking = path.join(DEMO_DIR, 'manifest-breaking.json');

  it('a no-change sync is recorded; the same manifest on the same main then answers from the memo, writing nothing', async () => {
    const reg = await freshRegistry(tempDir('tessera-memo-'));
    const first = await sync(reg, [demo]);
    expect(first.planned).toBe(true);
    // The first sync wrote: nothing is recorded (its result was computed against the old main).
    const second = await sync(reg, [demo]);
    expect(second).toMatchObject({ planned: true, memo: false });
    expect(second.stdout).toMatch(/no changes: the registry already matches the manifest/);
    const before = await refs(reg.registry);
    const third = await sync(reg, [demo]);
    expect(third).toMatchObject({ planned: false, memo: true });
    expect(third.stdout).toBe(second.stdout);
    expect(await refs(reg.registry)).toBe(before);
    // Every format renders from the memo the same as from a plan.
    for (const format of ['json', 'markdown', 'github']) {
      const hit = await sync(reg, [demo, '--format', format]);
      const full = await sync(reg, [demo, '--format', format, '--no-memo']);
      expect(hit.stdout, format).toBe(full.stdout);
    }
    expect(await refs(reg.registry)).toBe(before);
  });

  it('--no-memo and TESSERA_SYNC_MEMO=0 plan in full', async () => {
    const reg = await freshRegistry(tempDir('tessera-memo-off-'));
    await sync(reg, [demo]);
    await sync(reg, [demo]);
    expect((await sync(reg, [demo])).memo).toBe(true);
    expect(await sync(reg, [demo, '--no-memo'])).toMatchObject({ planned: true, memo: false });
    const off = machine(path.dirname(reg.registry), 'ci-off', reg.ci.email, { ...reg.ci.env, TESSERA_SYNC_MEMO: '0' });
    const r = await off.run(['sync-dbt', demo]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(MEMO_LINE);
    expect(r.stderr).toMatch(/planned \d+ manifest assets/);
  });

  it('misses when the manifest changes by one byte, when main moves, and when an option differs', async () => {
    const root = tempDir('tessera-memo-miss-');
    const reg = await freshRegistry(root);
    await sync(reg, [demo]);
    await sync(reg, [demo]);
    expect((await sync(reg, [demo])).memo).toBe(true);

    // Same content, other bytes (a trailing newline): another manifest as far as the memo knows.
    const copy = path.join(root, 'manifest-copy.json');
    writeFileSync(copy, readFileSync(demo, 'utf8') + '\n');
    expect(await sync(reg, [copy])).toMatchObject({ planned: true, memo: false });

    // Another dbt run of the same project (new invocation id and time): the same content, answered from
    // the memo, with this run's header.
    const text = readFileSync(demo, 'utf8');
    const invocation = /"invocation_id": "([^"]+)"/.exec(text)![1]!;
    const rerun = path.join(root, 'manifest-rerun.json');
    writeFileSync(rerun, text.replace(invocation, '99999999-0000-4000-8000-000000000009').replace(/"generated_at": "[^"]+"/, '"generated_at": "2026-11-26T10:00:00Z"'));
    expect(await sync(reg, [rerun])).toMatchObject({ memo: true, planned: false });
    const hit = await sync(reg, [rerun, '--json']);
    const full = await sync(reg, [rerun, '--json', '--no-memo']);
    expect(hit.stdout).toBe(full.stdout);
    expect(JSON.parse(hit.stdout).manifest.invocationId).toBe('99999999-0000-4000-8000-000000000009');

    // An option that shapes planning.
    expect(await sync(reg, [demo, '--select', 'analytics.*'])).toMatchObject({ planned: true, memo: false });
    expect((await sync(reg, [demo])).memo).toBe(true);

    // main moves (a team added by hand): the memo of the old main does not apply.
    const t = await reg.ci.run(['team', 'add', 'late-team', '--member', reg.ci.email]);
    expect(t.exitCode, t.stderr).toBe(0);
    const moved = await sync(reg, [demo]);
    expect(moved).toMatchObject({ planned: true, memo: false });
    expect((await sync(reg, [demo])).memo).toBe(true);
  });

  it('keys on the open proposals: a breaking change waiting on a proposal is answered from the memo until the proposal closes', async () => {
    const reg = await freshRegistry(tempDir('tessera-memo-proposals-'));
    await sync(reg, [demo]);
    const opened = await reg.ci.run(['sync-dbt', breaking, '--json']);
    expect(opened.exitCode).toBe(1);
    const proposals = JSON.parse(opened.stdout).proposals as Array<{ id: string }>;
    expect(proposals.length).toBeGreaterThan(0);
    // Nothing to write: the change waits on its proposal (still breaking: exit 1 under the default --fail-on breaking).
    const waiting = await sync(reg, [breaking], 1);
    expect(waiting).toMatchObject({ planned: true, memo: false });
    expect(waiting.stdout).toMatch(/wait on open proposals/);
    const hit = await sync(reg, [breaking], 1);
    expect(hit).toMatchObject({ planned: false, memo: true });
    expect(hit.stdout).toBe(waiting.stdout);
    // --fail-on is applied to the memo's findings like to a plan's.
    const lenient = await reg.ci.run(['sync-dbt', breaking, '--fail-on', 'never']);
    expect(lenient.stderr).toMatch(MEMO_LINE);
    expect(lenient.exitCode).toBe(0);

    // Withdrawing the proposal leaves main alone but closes the branch: the memo must not answer.
    const w = await reg.ci.run(['withdraw', proposals[0]!.id, '--reason', 'redo']);
    expect(w.exitCode, w.stderr).toBe(0);
    const after = await reg.ci.run(['sync-dbt', breaking]);
    expect(after.stderr).not.toMatch(MEMO_LINE);
    expect(after.stdout).not.toBe(waiting.stdout);
  });
});
