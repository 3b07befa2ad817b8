/**
 * The pull-request gate, end to end: a shared registry (a bare remote), the
 * producer's CI and the consumer teams on machines of their own, the real
 * binary, and dbt "branches" made by editing the demo manifest. A pull
 * request's check opens a proposal naming it and writes nothing on main; it
 * fails until the consumers ack and passes after; the sync of main after the
 * merge publishes exactly the acked contract through the proposal; an
 * abandoned pull request leaves no proposal, an amended one keeps its
 * proposal true to its manifest; a sync of main waiting on an open proposal
 * fails every time, saying who must ack.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bareRemote, cleanupTempDirs, gitIn, machine, refState, tempDir, writeJson, type Machine } from '../helpers/machines.js';
import { tessera, type RunResult } from '../helpers/cli.js';
import { demoJson } from '../dbt/helpers.js';
import { registryFiles } from './helpers.js';

afterAll(cleanupTempDirs);

const CUSTOMERS = 'analytics.marts.customers';
const ORDERS = 'analytics.marts.orders';
const PAYMENTS = 'analytics.marts.payments';
const PR_URL = 'https://github.com/acme/shop/pull/12';
/** A developer's or CI runner's own GitHub variables must not leak into these runs. */
const NO_CI: Record<string, string> = { GITHUB_EVENT_NAME: '', GITHUB_EVENT_PATH: '', GITHUB_STEP_SUMMARY: '', GITHUB_SERVER_URL: '', GITHUB_REPOSITORY: '', CI_MERGE_REQUEST_IID: '' };

/** The demo manifest with `edit` applied: one dbt branch. */
function variant(root: string, name: string, edit: (m: any) => void): string {
  const m = demoJson('manifest.json') as any;
  edit(m);
  return writeJson(root, name, m);
}

const dropColumn = (uid: string, column: string) => (m: any) => {
  delete m.nodes[uid].columns[column];
  // Its tests go with it, as in a real project.
  for (const [k, n] of Object.entries(m.nodes as Record<string, any>)) {
    if (n.resource_type === 'test' && n.attached_node === uid && n.column_name === column) delete m.nodes[k];
  }
};

function run(m: Machine, args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return tessera(args, { env: { ...m.env, ...env }, cwd: m.env.HOME! });
}

async function json(m: Machine, args: string[], code: number, env: Record<string, string> = {}): Promise<any> {
  const r = await run(m, [...args, '--json'], env);
  expect(r.exitCode, `${args.join(' ')}: ${r.stderr}\n${r.stdout.slice(0, 3000)}`).toBe(code);
  return JSON.parse(r.stdout);
}

describe('sync-dbt --pull-request: the pull request is gated, not main', () => {
  let root: string;
  let remote: string;
  let ci: Machine;
  let fin: Machine;
  let pam: Machine;
  let main: string;
  let pr12: string;
  let prId: string;
  let proposed: any;

  const mainCommit = () => gitIn(remote, ['rev-parse', 'refs/heads/main']);
  const openProposals = async () => (await json(ci, ['proposals', '--status', 'open'], 0)).proposals as any[];

  beforeAll(async () => {
    root = tempDir('tessera-pr-gate-');
    remote = await bareRemote(root);
    const url = pathToFileURL(remote).href;
    const admin = machine(root, 'admin', 'admin@acme.com', NO_CI);
    const clone = path.join(root, 'admin-clone');
    expect((await admin.run(['init', clone, '--remote', url])).exitCode).toBe(0);
    ci = machine(root, 'ci', 'ci-bot@acme.com', { TESSERA_REGISTRY: url, ...NO_CI });
    main = variant(root, 'main.json', () => undefined);
    expect((await json(ci, ['sync-dbt', main], 0)).changed).toBe(true);
    const teams = (await json(ci, ['team', 'list'], 0)).teams as Array<{ name: string; members: string[] }>;
    fin = machine(root, 'fin', teams.find((t) => t.name === 'finance')!.members[0]!, { TESSERA_REGISTRY: url, ...NO_CI });
    expect((await run(ci, ['team', 'add', 'payments', '--member', 'pam@acme.com'])).exitCode).toBe(0);
    pam = machine(root, 'pam', 'pam@acme.com', { TESSERA_REGISTRY: url, ...NO_CI });
    pr12 = variant(root, 'pr12.json', dropColumn('model.shop.customers', 'email'));
  }, 120_000);

  it('a pull request that drops a consumed column fails, opens a proposal naming it, writes nothing on main, and says how to ack', async () => {
    const before = await mainCommit();
    const summary = path.join(root, 'summary-12.md');
    writeFileSync(summary, '');
    const r = await run(ci, ['sync-dbt', pr12, '--pull-request', '12', '--pull-request-url', PR_URL, '--format', 'github'], { GITHUB_STEP_SUMMARY: summary });
    expect(r.exitCode, r.stderr).toBe(1);
    expect(await mainCommit()).toBe(before);

    const open = await openProposals();
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ asset: CUSTOMERS, from_version: '1.0.0', to_version: '2.0.0', pull_request: { id: '12', url: PR_URL }, pending: ['finance', 'payments'] });
    prId = open[0].id;

    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors.some((l) => l.includes(`tessera ack ${prId} --team finance`) && l.includes(`tessera ack ${prId} --team payments`))).toBe(true);
    expect(errors.some((l) => l.includes('PROPERTY_REMOVED'))).toBe(true);
    const md = readFileSync(summary, 'utf8');
    expect(md).toContain('pull request #12 waits on acknowledgments');
    expect(md).toContain(`\`tessera ack ${prId} --team finance\``);
    expect(md).toContain(`[Pull request #12](${PR_URL})`);

    // The proposal branch holds the proposal record with the pull request, and the proposed version.
    const branch = await registryFiles(remote, 'proposals/', `refs/heads/tessera/proposals/${prId}`);
    expect(branch.get(`proposals/${prId}.yaml`).pull_request).toEqual({ id: '12', url: PR_URL });
    proposed = (await registryFiles(remote, `assets/${CUSTOMERS}/versions/`, `refs/heads/tessera/proposals/${prId}`)).get(`assets/${CUSTOMERS}/versions/2.0.0.yaml`);
    expect(proposed.schema.properties.email).toBeUndefined();

    // The text outputs name the pull request too.
    expect((await run(fin, ['proposals'])).stdout).toMatch(new RegExp(`^${prId}\\s+open .*pull request #12\\s+waiting for finance, payments`, 'm'));
    expect((await run(fin, ['show', prId])).stdout).toContain(`from pull request #12 ${PR_URL}: publishes when it merges`);
    expect((await run(fin, ['show', CUSTOMERS])).stdout).toContain(`Open proposal ${prId} from pull request #12: 1.0.0 -> 2.0.0, waiting for finance, payments`);

    // The same check again: the same proposal, still failing, still naming the commands.
    const again = await json(ci, ['sync-dbt', pr12, '--pull-request', '12'], 1);
    expect(again).toMatchObject({ changed: false, pull_request: { id: '12' }, proposals: [] });
    expect(again.proposals_waiting).toMatchObject([{ id: prId, asset: CUSTOMERS, missing: ['finance', 'payments'], approved: false, ack_commands: [`tessera ack ${prId} --team finance`, `tessera ack ${prId} --team payments`] }]);
    expect(await mainCommit()).toBe(before);
  });

  it('once every consumer has acked, the same check passes; the last ack approves without merging; main is unchanged', async () => {
    const before = await mainCommit();
    const first = await json(fin, ['ack', prId, '--team', 'finance'], 0);
    expect(first).toMatchObject({ merged: false, approved: false, pending: ['payments'], pull_request: { id: '12' } });
    const last = await run(pam, ['ack', prId, '--team', 'payments']);
    expect(last.exitCode, last.stderr).toBe(0);
    expect(last.stdout).toContain(`${prId} approved; publishes when pull request #12 merges`);
    expect(await mainCommit()).toBe(before);
    expect((await openProposals()).map((p) => p.id)).toEqual([prId]);

    const green = await json(ci, ['sync-dbt', pr12, '--pull-request', '12'], 0);
    expect(green.counts.approved).toBe(1);
    expect(green.findings.map((f: any) => [f.severity, f.rule])).toEqual([['info', 'PROPOSAL_APPROVED']]);
    expect(green.findings[0].message).toMatch(/publishes when pull request #12 merges/);

    // `tessera merge` holds it for its pull request; main's sync of main's own (unchanged) manifest leaves it alone.
    const merge = await run(ci, ['merge', prId]);
    expect(merge.exitCode).toBe(1);
    expect(merge.stderr).toMatch(/waits for pull request #12 .* to merge.*--force/);
    const mainSync = await json(ci, ['sync-dbt', main], 0);
    expect(mainSync.changed).toBe(false);
    expect((await openProposals()).map((p) => p.id)).toEqual([prId]);
    expect(await mainCommit()).toBe(before);
  });

  it('after the merge, the sync of main publishes exactly the acked contract through the proposal, and nothing else', async () => {
    const before = await mainCommit();
    const refs = await refState(remote);
    const dry = await json(ci, ['sync-dbt', pr12, '--dry-run'], 0);
    expect(dry.proposals_merged).toEqual([{ id: prId, asset: CUSTOMERS, from_version: '1.0.0', to_version: '2.0.0', pull_request: { id: '12', url: PR_URL }, commit: null }]);
    expect(dry.summary).toMatch(/would merge 1 approved proposal/);
    expect(await refState(remote)).toBe(refs);
    const out = await json(ci, ['sync-dbt', pr12], 0);
    expect(out.proposals_merged).toMatchObject([{ id: prId, asset: CUSTOMERS, from_version: '1.0.0', to_version: '2.0.0', pull_request: { id: '12' } }]);
    expect(out.items).toMatchObject([{ asset: CUSTOMERS, action: 'merged', version: '2.0.0' }]);
    expect(out.proposals).toEqual([]);
    const shown = await json(ci, ['show', CUSTOMERS], 0);
    expect(shown.asset.current_version).toBe('2.0.0');
    expect(shown.version).toMatchObject({ via: 'proposal', proposal: prId });
    expect(shown.version.schema).toEqual(proposed.schema);
    expect(shown.version.guarantees).toEqual(proposed.guarantees);
    // One merge commit, with the acks behind it, touching only the proposal's files.
    const after = await mainCommit();
    expect((await gitIn(remote, ['rev-list', `${before}..${after}`, '--first-parent'])).split('\n')).toHaveLength(1);
    expect(await gitIn(remote, ['log', '-1', '--format=%B', after])).toMatch(/Tessera-Event: proposal.merged/);
    const changed = (await gitIn(remote, ['diff', '--name-only', before, after])).split('\n').sort();
    expect(changed).toEqual([`assets/${CUSTOMERS}/asset.yaml`, `assets/${CUSTOMERS}/consumers/finance.yaml`, `assets/${CUSTOMERS}/consumers/payments.yaml`, `assets/${CUSTOMERS}/versions/2.0.0.yaml`, `proposals/${prId}.yaml`]);
    expect((await run(ci, ['verify'])).exitCode).toBe(0);
    expect(await openProposals()).toEqual([]);
    expect((await json(ci, ['sync-dbt', pr12], 0)).changed).toBe(false);
  });

  it('a pull request closed unmerged leaves no proposal: withdraw --pull-request withdraws each one, recorded on main', async () => {
    // Breaks orders (finance reads it) and adds a column to stg_orders, which publishes only when the pull request merges.
    const pr13 = variant(root, 'pr13.json', (m) => {
      dropColumn('model.shop.orders', 'amount')(m);
      dropColumn('model.shop.customers', 'email')(m);
      m.nodes['model.shop.stg_orders'].columns.channel = { name: 'channel', data_type: 'varchar(20)' };
    });
    const before = await mainCommit();
    const out = await json(ci, ['sync-dbt', pr13, '--pull-request', '13'], 1);
    expect(out.counts).toMatchObject({ proposed: 1, published: 1 });
    expect(out.summary).toMatch(/main unchanged/);
    expect(await mainCommit()).toBe(before);
    const id = out.proposals[0].id;
    expect(out.proposals[0]).toMatchObject({ asset: ORDERS });
    expect((await json(ci, ['show', 'analytics.staging.stg_orders'], 0)).asset.current_version).toBe('1.0.0');

    const closed = await json(ci, ['withdraw', '--pull-request', '13'], 0);
    expect(closed).toMatchObject({ action: 'proposals.withdrawn', pull_request: { id: '13' }, proposals: [{ id, asset: ORDERS }] });
    expect(await openProposals()).toEqual([]);
    const record = await json(ci, ['show', id], 0);
    expect(record.proposal).toMatchObject({ status: 'withdrawn', closed_by: 'ci-bot@acme.com', reason: 'pull request #13 closed without merging' });
    const log = await gitIn(remote, ['log', '-1', '--format=%B', 'refs/heads/main']);
    expect(log).toMatch(/Tessera-Event: proposal.withdrawn/);
    expect(log).toContain(`Tessera-Closed-Proposals: ${id}`);
    expect(log).toContain('Tessera-Pull-Request: 13');
    expect(await refState(remote)).not.toContain('refs/tessera/acks/');
    // Closing again (the event can be delivered twice) is no error and writes nothing.
    const again = await json(ci, ['withdraw', '--pull-request', '13'], 0);
    expect(again.proposals).toEqual([]);
  });

  it('an amended pull request keeps its proposal true to its manifest: superseded by another breaking change, withdrawn once it makes none', async () => {
    // This time the pull request comes from the GitHub event, as in the action.
    const event = writeJson(root, 'event-14.json', { action: 'synchronize', pull_request: { number: 14, html_url: 'https://github.com/acme/shop/pull/14' } });
    const gh = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event };
    const v1 = variant(root, 'pr14-v1.json', (m) => {
      dropColumn('model.shop.customers', 'email')(m);
      dropColumn('model.shop.customers', 'lifetime_value')(m);
    });
    const v2 = variant(root, 'pr14-v2.json', (m) => {
      dropColumn('model.shop.customers', 'email')(m);
      dropColumn('model.shop.customers', 'is_active')(m);
    });
    const opened = await json(ci, ['sync-dbt', v1, '--pull-request'], 1, gh);
    const id = opened.proposals[0].id;
    expect((await json(ci, ['show', id], 0)).proposal.pull_request).toEqual({ id: '14', url: 'https://github.com/acme/shop/pull/14' });
    await json(fin, ['ack', id, '--team', 'finance'], 0);

    const before = await mainCommit();
    const superseded = await json(ci, ['sync-dbt', v2, '--pull-request'], 1, gh);
    expect(superseded.proposals).toMatchObject([{ id, action: 'superseded', superseded: true }]);
    expect(superseded.proposals_waiting[0].missing).toEqual(['finance', 'payments']);
    expect(await mainCommit()).toBe(before);
    const shown = await json(ci, ['show', id], 0);
    expect(shown.proposal.pull_request.id).toBe('14');
    expect(shown.answers.find((a: any) => a.team === 'finance').state).toBe('stale');

    // Amended back to main's contract: withdrawn, with only its record written on main.
    const withdrawn = await json(ci, ['sync-dbt', pr12, '--pull-request'], 0, gh);
    expect(withdrawn.proposals_withdrawn).toMatchObject([{ id, asset: CUSTOMERS, status: 'withdrawn', reason: expect.stringMatching(/no longer makes this change/) }]);
    expect((await gitIn(remote, ['diff', '--name-only', before, 'refs/heads/main'])).split('\n')).toEqual([`proposals/${id}.yaml`]);
    expect(await openProposals()).toEqual([]);
  });

  it('two pull requests breaking one asset: the second is refused while the first one\'s proposal is open', async () => {
    const a = variant(root, 'pr15.json', (m) => {
      dropColumn('model.shop.customers', 'email')(m);
      dropColumn('model.shop.customers', 'is_active')(m);
    });
    const b = variant(root, 'pr16.json', (m) => {
      dropColumn('model.shop.customers', 'email')(m);
      dropColumn('model.shop.customers', 'first_order_at')(m);
    });
    const first = await json(ci, ['sync-dbt', a, '--pull-request', '15'], 1);
    const before = await refState(remote);
    const second = await json(ci, ['sync-dbt', b, '--pull-request', '16'], 1);
    expect(second.findings).toMatchObject([{ severity: 'breaking', rule: 'PROPOSAL_OPEN_ELSEWHERE', asset: CUSTOMERS, message: expect.stringMatching(new RegExp(`proposal ${first.proposals[0].id} .*pull request #15`)) }]);
    expect(second.proposals).toEqual([]);
    expect(await refState(remote)).toBe(before);
    // Once #15 is closed, #16 gets its proposal.
    await json(ci, ['withdraw', '--pull-request', '15'], 0);
    const retry = await json(ci, ['sync-dbt', b, '--pull-request', '16'], 1);
    expect(retry.proposals).toMatchObject([{ asset: CUSTOMERS, action: 'proposed' }]);
    await json(ci, ['withdraw', '--pull-request', '16'], 0);
    expect(await openProposals()).toEqual([]);
  });

  it('main merging another contract than the one acked: the pull request\'s proposal is superseded and a new proposal opens', async () => {
    const acked = variant(root, 'pr17.json', (m) => {
      dropColumn('model.shop.customers', 'email')(m);
      dropColumn('model.shop.customers', 'is_active')(m);
    });
    const merged = variant(root, 'main-17.json', (m) => {
      dropColumn('model.shop.customers', 'email')(m);
      dropColumn('model.shop.customers', 'is_active')(m);
      dropColumn('model.shop.customers', 'first_order_at')(m);
    });
    const id = (await json(ci, ['sync-dbt', acked, '--pull-request', '17'], 1)).proposals[0].id;
    await json(fin, ['ack', id, '--team', 'finance'], 0);
    await json(pam, ['ack', id, '--team', 'payments'], 0);
    expect((await json(ci, ['sync-dbt', acked, '--pull-request', '17'], 0)).counts.approved).toBe(1);

    const out = await json(ci, ['sync-dbt', merged], 1);
    expect(out.proposals_merged).toEqual([]);
    expect(out.proposals_withdrawn).toMatchObject([{ id, status: 'superseded', reason: expect.stringMatching(/another contract than pull request #17/) }]);
    expect(out.proposals).toMatchObject([{ asset: CUSTOMERS, action: 'proposed' }]);
    const fresh = out.proposals[0].id;
    expect(fresh).not.toBe(id);
    expect((await json(ci, ['show', id], 0)).proposal.status).toBe('superseded');
    const shown = await json(ci, ['show', fresh], 0);
    expect(shown.proposal.pull_request).toBeUndefined();
    expect(shown.pending).toEqual(['finance', 'payments']);
    expect((await json(ci, ['show', CUSTOMERS], 0)).asset.current_version).toBe('2.0.0');
    await json(ci, ['withdraw', fresh], 0);
    expect(await openProposals()).toEqual([]);
  });

  it('a sync of main waiting on an open proposal fails on every run, naming the proposal and the missing acks', async () => {
    const broken = variant(root, 'main-broken.json', (m) => {
      dropColumn('model.shop.customers', 'email')(m);
      dropColumn('model.shop.payments', 'method')(m);
    });
    const first = await json(ci, ['sync-dbt', broken], 1);
    const id = first.proposals[0].id;
    expect(first.proposals[0]).toMatchObject({ asset: PAYMENTS });
    const texts: RunResult[] = [];
    for (let i = 0; i < 2; i++) texts.push(await run(ci, ['sync-dbt', broken]));
    for (const t of texts) {
      expect(t.exitCode).toBe(1);
      expect(t.stdout).toContain(`waits on proposal ${id}, missing acks from finance: tessera ack ${id} --team finance`);
    }
    expect(texts[1].stdout).toBe(texts[0].stdout);
    expect((await run(ci, ['sync-dbt', broken, '--fail-on', 'never'])).exitCode).toBe(0);
  });
});

describe('sync-dbt --pull-request: bad input', () => {
  let root: string;
  let registry: string;
  let ci: Machine;
  let manifest: string;

  beforeAll(async () => {
    root = tempDir('tessera-pr-gate-bad-');
    registry = path.join(root, 'registry.git');
    ci = machine(root, 'ci', 'ci-bot@acme.com', { TESSERA_REGISTRY: registry, ...NO_CI });
    expect((await ci.run(['init', registry])).exitCode).toBe(0);
    expect((await ci.run(['sync-dbt', variant(root, 'main.json', () => undefined)])).exitCode).toBe(0);
    manifest = variant(root, 'pr.json', dropColumn('model.shop.customers', 'email'));
  }, 120_000);

  const notJson = () => {
    const p = path.join(root, 'event.json');
    writeFileSync(p, '{"pull_request": {"number": 3');
    return p;
  };

  it.each([
    ['an id that is not a number', ['--pull-request', 'feature-x'], {}, /--pull-request 'feature-x' is not a pull request number/],
    ['id 0', ['--pull-request', '0'], {}, /--pull-request '0' is not a pull request number/],
    ['a url that is not http(s)', ['--pull-request', '3', '--pull-request-url', 'ftp://example.com/3'], {}, /is not an http\(s\) address/],
    ['a url without --pull-request', ['--pull-request-url', 'https://example.com/3'], {}, /--pull-request-url needs --pull-request/],
    ['--pull-request without a number outside a pull request job', ['--pull-request'], {}, /needs a pull request CI job/],
    ['a GITHUB_EVENT_PATH that is not JSON', ['--pull-request'], { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: 'EVENT' }, /GITHUB_EVENT_PATH .*event\.json: not JSON/],
  ])('%s: one-line error, exit 2, registry unchanged', async (_name, flags, env, message) => {
    const e = Object.fromEntries(Object.entries(env as Record<string, string>).map(([k, v]) => [k, v === 'EVENT' ? notJson() : v]));
    const before = await refState(registry);
    const r = await run(ci, ['sync-dbt', manifest, ...(flags as string[])], e);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message as RegExp);
    expect(await refState(registry)).toBe(before);
  });

  it.each([
    ['both a proposal and --pull-request', ['withdraw', 'p-00000000', '--pull-request', '3'], /give a proposal or --pull-request, not both/],
    ['neither a proposal nor --pull-request', ['withdraw'], /withdraw needs a proposal/],
    ['an invalid pull request', ['withdraw', '--pull-request', 'x1'], /--pull-request 'x1' is not a pull request number/],
    ['sync-dbt --report-json into a missing directory', ['sync-dbt', 'MANIFEST', '--report-json', '/nonexistent-dir/r.json'], /--report-json .*no such directory/],
  ])('%s: one-line error, exit 2, registry unchanged', async (_name, args, message) => {
    const before = await refState(registry);
    const r = await run(ci, (args as string[]).map((a) => (a === 'MANIFEST' ? manifest : a)));
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message as RegExp);
    expect(await refState(registry)).toBe(before);
  });

  it('--pull-request with --dry-run is the same check writing nothing: the proposal it would open, the same exit code', async () => {
    const before = await refState(registry);
    const dry = await json(ci, ['sync-dbt', manifest, '--pull-request', '3', '--dry-run'], 1);
    expect(dry).toMatchObject({ dry_run: true, pull_request: { id: '3' }, proposals: [{ asset: CUSTOMERS, action: 'proposed' }] });
    expect(await refState(registry)).toBe(before);
  });
  it('merge --force publishes a held proposal once it is approved; without the acks it still refuses', async () => {
    const id = (await json(ci, ['sync-dbt', manifest, '--pull-request', '5'], 1)).proposals[0].id;
    const refused = await run(ci, ['merge', id, '--force']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/cannot merge: missing approvals from finance/);
    const teams = (await json(ci, ['team', 'list'], 0)).teams as Array<{ name: string; members: string[] }>;
    const fin = machine(root, 'fin', teams.find((t) => t.name === 'finance')!.members[0]!, { TESSERA_REGISTRY: registry, ...NO_CI });
    await json(fin, ['ack', id, '--team', 'finance'], 0);
    const last = await json(ci, ['ack', id, '--team', 'payments'], 0);
    expect(last).toMatchObject({ merged: false, approved: true });
    const merged = await json(ci, ['merge', id, '--force'], 0);
    expect(merged).toMatchObject({ action: 'proposal.merged', proposal: id, version: '2.0.0' });
    expect((await json(ci, ['show', CUSTOMERS], 0)).version).toMatchObject({ via: 'proposal', proposal: id });
  });
});
