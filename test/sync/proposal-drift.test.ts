/**
 * sync-dbt keeps every open proposal describing the manifest: a manifest
 * that makes another breaking change supersedes the open proposal (earlier
 * acks stop counting), one that no longer makes the change withdraws it with
 * a reason, and proposal ids come from the proposed content, so a dry run
 * names the id the real run opens and a re-proposal after a withdrawal gets
 * a new one. The breaking change used is one under every compatibility mode:
 * dropping a required (not_null) column of a closed model.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { cleanupTempDirs, gitIn, machine, refState, tempDir, writeJson, type Machine } from '../helpers/machines.js';
import { DEMO_DIR, demoJson } from '../dbt/helpers.js';
import { freshRegistry, registryFiles, runJson } from './helpers.js';

afterAll(cleanupTempDirs);

const CUSTOMERS = 'analytics.marts.customers';
const UID = 'model.shop.customers';

function demo(): any {
  return demoJson('manifest.json');
}

async function syncJson(m: Machine, args: string[], code: number): Promise<any> {
  const r = await m.run(['sync-dbt', ...args, '--json']);
  expect(r.exitCode, r.stderr + r.stdout.slice(0, 2000)).toBe(code);
  return JSON.parse(r.stdout);
}

async function refsUnder(registry: string, prefix: string): Promise<string[]> {
  return (await gitIn(registry, ['for-each-ref', '--format=%(refname)', prefix])).split('\n').filter(Boolean);
}

describe('sync-dbt: an open proposal always describes the manifest', () => {
  let root: string;
  let registry: string;
  let ci: Machine;
  let fin: Machine;
  let original: string;
  let dropped: string;
  let droppedAndNarrowed: string;
  let annotated: string;
  let first: string;

  beforeAll(async () => {
    root = tempDir('tessera-sync-drift-');
    ({ registry, ci } = await freshRegistry(root));
    original = path.join(DEMO_DIR, 'manifest.json');
    const a = demo();
    delete a.nodes[UID].columns.customer_id;
    dropped = writeJson(root, 'dropped.json', a);
    const b = demo();
    delete b.nodes[UID].columns.customer_id;
    b.nodes[UID].columns.email.data_type = 'varchar(100)';
    droppedAndNarrowed = writeJson(root, 'dropped-narrowed.json', b);
    const c = demo();
    c.nodes[UID].columns.email.description = 'Where the receipts go.';
    annotated = writeJson(root, 'annotated.json', c);
    await syncJson(ci, [original], 0);
    const teams = (await runJson(ci, ['team', 'list'])).teams as Array<{ name: string; members: string[] }>;
    fin = machine(root, 'fin', teams.find((t) => t.name === 'finance')!.members[0]!, { TESSERA_REGISTRY: registry });
  });

  it('the id a dry run prints is the id the real run opens', async () => {
    const before = await refState(registry);
    const dry = await syncJson(ci, [dropped, '--dry-run'], 1);
    expect(await refState(registry)).toBe(before);
    const real = await syncJson(ci, [dropped], 1);
    expect(real.proposals.map((p: any) => [p.asset, p.id])).toEqual(dry.proposals.map((p: any) => [p.asset, p.id]));
    expect(real.proposals).toHaveLength(1);
    first = real.proposals[0].id;
    expect(first).toMatch(/^p-[0-9a-f]{8}$/);
    expect(await refsUnder(registry, 'refs/heads/tessera/proposals/')).toEqual([`refs/heads/tessera/proposals/${first}`]);
  });

  it('another breaking change supersedes the open proposal: same id, new contract, earlier acks stale, teams told', async () => {
    const ack = await runJson(fin, ['ack', first, '--team', 'finance']);
    expect(ack.merged).toBe(false);
    const shownBefore = await runJson(ci, ['show', first]);
    expect(shownBefore.answers.find((a: any) => a.team === 'finance').state).toBe('approved');

    const before = await refState(registry);
    const dry = await syncJson(ci, [droppedAndNarrowed, '--dry-run'], 1);
    expect(await refState(registry)).toBe(before);
    expect(dry.proposals).toMatchObject([{ id: first, asset: CUSTOMERS, action: 'superseded', superseded: true }]);

    const out = await syncJson(ci, [droppedAndNarrowed], 1);
    expect(out.counts.superseded).toBe(1);
    expect(out.proposals).toMatchObject([{ id: first, asset: CUSTOMERS, action: 'superseded', superseded: true, required_teams: ['finance', 'payments'] }]);
    const note = out.findings.find((f: any) => f.rule === 'PROPOSAL_SUPERSEDED');
    expect(note).toMatchObject({ severity: 'warning', asset: CUSTOMERS });
    expect(note.message).toMatch(/schema differs/);
    expect(note.message).toMatch(/no longer count: finance, payments must acknowledge again/);

    const shown = await runJson(ci, ['show', first]);
    expect(shown.proposal.fingerprint).not.toBe(shownBefore.proposal.fingerprint);
    expect(shown.answers.find((a: any) => a.team === 'finance').state).toBe('stale');
    expect(shown.pending).toEqual(['finance', 'payments']);
    const branch = await registryFiles(registry, `assets/${CUSTOMERS}/versions/`, `refs/heads/tessera/proposals/${first}`);
    const proposed = branch.get(`assets/${CUSTOMERS}/versions/2.0.0.yaml`);
    expect(proposed.schema.properties.customer_id).toBeUndefined();
    expect(proposed.schema.properties.email.maxLength).toBe(100);
    const log = await gitIn(registry, ['log', '-1', '--format=%B', `refs/heads/tessera/proposals/${first}`]);
    expect(log).toMatch(/Tessera-Event: proposal.superseded/);

    // Now it matches: a rerun leaves it alone, and still fails until it is acknowledged.
    const again = await syncJson(ci, [droppedAndNarrowed], 1);
    expect(again.changed).toBe(false);
    expect(again.findings.map((f: any) => f.rule)).toEqual(['PROPOSAL_ALREADY_OPEN']);
  });

  it('a manifest back at main\'s contract withdraws the proposal with a reason; acking it is refused and nothing is published', async () => {
    const text = await ci.run(['sync-dbt', original, '--dry-run']);
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/Proposals that would be withdrawn/);
    expect(text.stdout).toContain(first);

    const out = await syncJson(ci, [original], 0);
    expect(out.proposals_withdrawn).toEqual([{ id: first, asset: CUSTOMERS, from_version: '1.0.0', to_version: '2.0.0', reason: expect.stringMatching(/no longer makes this change.*1\.0\.0 on main/), status: 'withdrawn' }]);
    expect(out.findings).toMatchObject([{ severity: 'info', rule: 'PROPOSAL_WITHDRAWN', asset: CUSTOMERS }]);
    expect(await refsUnder(registry, 'refs/heads/tessera/proposals/')).toEqual([]);
    expect(await refsUnder(registry, 'refs/tessera/acks/')).toEqual([]);
    const shown = await runJson(ci, ['show', first]);
    expect(shown.proposal).toMatchObject({ status: 'withdrawn', closed_by: 'ci-bot@acme.com', reason: expect.stringMatching(/no longer makes this change/) });
    const refused = await fin.run(['ack', first, '--team', 'finance']);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toMatch(/withdrawn/);
    const asset = await runJson(ci, ['show', CUSTOMERS]);
    expect(asset.asset.current_version).toBe('1.0.0');
    expect(Object.keys(asset.version.schema.properties)).toContain('customer_id');
    expect((await syncJson(ci, [original], 0)).changed).toBe(false);
  });

  it('the same change proposed again after the withdrawal gets a new id, and the dry run still predicts it', async () => {
    const dry = await syncJson(ci, [dropped, '--dry-run'], 1);
    const out = await syncJson(ci, [dropped], 1);
    expect(out.proposals.map((p: any) => p.id)).toEqual(dry.proposals.map((p: any) => p.id));
    const id = out.proposals[0].id;
    expect(id).not.toBe(first);
    expect((await runJson(ci, ['show', id])).proposal.status).toBe('open');
    expect((await runJson(ci, ['show', first])).proposal.status).toBe('withdrawn');
  });

  it('a manifest that drops the breaking change for a compatible one publishes that and withdraws the proposal', async () => {
    const open = (await refsUnder(registry, 'refs/heads/tessera/proposals/'))[0]!.split('/').pop()!;
    const out = await syncJson(ci, [annotated], 0);
    const item = out.items.find((i: any) => i.asset === CUSTOMERS);
    expect(item).toMatchObject({ action: 'published', from: '1.0.0', withdrawn: { id: open } });
    expect(out.proposals_withdrawn[0].reason).toMatch(/published compatibly instead/);
    expect(await refsUnder(registry, 'refs/heads/tessera/proposals/')).toEqual([]);
    expect((await runJson(ci, ['show', open])).proposal.status).toBe('withdrawn');
  });

  it('an asset that leaves the manifest supersedes its change proposal with a retirement; back unchanged, the retirement is withdrawn', async () => {
    const proposed = await syncJson(ci, [dropped], 1);
    const id = proposed.proposals[0].id;
    const gone = demo();
    delete gone.nodes[UID];
    for (const [k, n] of Object.entries(gone.nodes as Record<string, any>)) if (n.resource_type === 'test' && n.attached_node === UID) delete gone.nodes[k];
    const out = await syncJson(ci, [writeJson(root, 'gone.json', gone)], 1);
    expect(out.proposals.find((p: any) => p.asset === CUSTOMERS)).toMatchObject({ id, action: 'superseded', superseded: true, retire: true });
    expect(out.findings.find((f: any) => f.rule === 'PROPOSAL_SUPERSEDED').message).toMatch(/no longer has it/);
    const branch = await registryFiles(registry, `assets/${CUSTOMERS}/versions/`, `refs/heads/tessera/proposals/${id}`);
    expect(branch.get(`assets/${CUSTOMERS}/versions/2.0.0.yaml`)).toMatchObject({ retired: true, proposal: id });
    const back = await syncJson(ci, [annotated], 0);
    expect(back.proposals_withdrawn.map((w: any) => w.id)).toEqual([id]);
    expect((await runJson(ci, ['show', CUSTOMERS])).asset.retired).toBeUndefined();
  });

  it('a proposal made against a version main has left is superseded onto the current one', async () => {
    const proposed = await syncJson(ci, [dropped], 1);
    const id = proposed.proposals[0].id;
    const base = proposed.proposals[0].from_version;
    // Someone publishes a compatible version by hand meanwhile (a column description).
    const current = await runJson(ci, ['show', CUSTOMERS]);
    const schema = current.version.schema;
    schema.properties.email.description = 'Edited by hand.';
    const published = await ci.run(['publish', CUSTOMERS, writeJson(root, 'by-hand.json', schema), '--guarantees', writeJson(root, 'by-hand-guarantees.json', current.version.guarantees), '--json']);
    expect(published.exitCode, published.stderr).toBe(0);
    const moved = (await runJson(ci, ['show', CUSTOMERS])).asset.current_version;
    expect(moved).not.toBe(base);
    const out = await syncJson(ci, [dropped], 1);
    expect(out.proposals).toMatchObject([{ id, action: 'superseded', from_version: moved, superseded: true }]);
    const note = out.findings.find((f: any) => f.rule === 'PROPOSAL_SUPERSEDED');
    expect(note.message).toContain(`it was made against ${base}, main is at ${moved}`);
    expect((await runJson(ci, ['show', id])).proposal.from_version).toBe(moved);
  });
});
