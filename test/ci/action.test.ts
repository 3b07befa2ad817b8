/**
 * The GitHub Action (action.yml + scripts/action/run.mjs), run the way the
 * runner runs its step: the script with GITHUB_* variables set (the event
 * name, an event JSON file, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, the
 * repository and server), against a real shared registry (a bare remote).
 * It cannot reach GitHub: the npm install step is replaced by this
 * checkout's built binary on PATH (TESSERA_ACTION_SKIP_INSTALL=1 and a bin
 * dir holding a `tessera` that runs bin/tessera.js), and nothing is posted
 * anywhere; what GitHub would show is read from stdout (the `::error`
 * annotations), the summary file and the outputs file. action.yml is parsed
 * to check that every input the script reads is declared and passed to it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { parse } from 'yaml';
import { bareRemote, cleanupTempDirs, gitIn, machine, tempDir, writeJson } from '../helpers/machines.js';
import { PROJECT_ROOT, TESSERA_BIN } from '../helpers/cli.js';
import { demoJson } from '../dbt/helpers.js';

afterAll(cleanupTempDirs);

const SCRIPT = path.join(PROJECT_ROOT, 'scripts/action/run.mjs');
const ACTION = parse(readFileSync(path.join(PROJECT_ROOT, 'action.yml'), 'utf8'));
const BOT = '41898282+github-actions[bot]@users.noreply.github.com';

describe('action.yml declares what scripts/action/run.mjs reads and writes', () => {
  const script = readFileSync(SCRIPT, 'utf8');
  const read = [...script.matchAll(/\binput\('([a-z-]+)'/g)].map((m) => m[1]!);
  const step = ACTION.runs.steps.find((s: any) => String(s.run ?? '').includes('scripts/action/run.mjs'));

  it('is a composite action whose step runs the script', () => {
    expect(ACTION.runs.using).toBe('composite');
    expect(step).toBeDefined();
    expect(step.shell).toBe('bash');
  });

  it('every input the script reads is declared, with a description, and passed as INPUT_<NAME>; every declared input is read', () => {
    expect(new Set(read)).toEqual(new Set(['version', 'manifest', 'registry', 'fail-on', 'format', 'mode']));
    for (const name of read) {
      expect(ACTION.inputs[name], name).toBeDefined();
      expect(ACTION.inputs[name].description, name).toMatch(/\w/);
      expect(step.env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`], name).toBe(`\${{ inputs.${name} }}`);
    }
    expect(Object.keys(ACTION.inputs).sort()).toEqual([...new Set(read)].sort());
    expect(ACTION.inputs.manifest.default).toBe('target/manifest.json');
    expect(ACTION.inputs.format.default).toBe('github');
  });

  it('every output comes from the step, and the script writes each one', () => {
    for (const [name, out] of Object.entries(ACTION.outputs as Record<string, { value: string }>)) {
      expect(out.value).toBe(`\${{ steps.${step.id}.outputs.${name} }}`);
      expect(script).toMatch(new RegExp(`\\b${name}:`));
    }
    expect(Object.keys(ACTION.outputs)).toContain('proposals');
  });

  it('installs the published CLI at the version asked for', () => {
    expect(script).toContain("const PACKAGE = '@tessera-contracts/cli'");
    expect(script).toContain('`${PACKAGE}@${version}`');
  });
});

describe('the action on pull_request and push events', () => {
  let root: string;
  let remote: string;
  let url: string;
  let bin: string;
  let home: string;
  let mainManifest: string;
  let prManifest: string;

  beforeAll(async () => {
    root = tempDir('tessera-action-');
    remote = await bareRemote(root);
    url = pathToFileURL(remote).href;
    const admin = machine(root, 'admin', 'admin@acme.com');
    expect((await admin.run(['init', path.join(root, 'admin-clone'), '--remote', url])).exitCode).toBe(0);
    bin = path.join(root, 'bin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'tessera'), `#!/bin/sh\nexec "${process.execPath}" "${TESSERA_BIN}" "$@"\n`);
    chmodSync(path.join(bin, 'tessera'), 0o755);
    home = path.join(root, 'runner');
    mkdirSync(home);
    const m = demoJson('manifest.json') as any;
    mainManifest = writeJson(root, 'main.json', m);
    delete m.nodes['model.shop.customers'].columns.email;
    prManifest = writeJson(root, 'pr.json', m);
  }, 120_000);

  /** One run of the action's step: the runner's variables, a fresh outputs file and summary. */
  async function step(eventName: string, event: unknown, inputs: Record<string, string>) {
    const n = Math.random().toString(36).slice(2, 8);
    const eventPath = writeJson(root, `event-${n}.json`, event);
    const output = path.join(root, `output-${n}`);
    const summary = path.join(root, `summary-${n}.md`);
    writeFileSync(output, '');
    writeFileSync(summary, '');
    const env: Record<string, string> = {
      PATH: `${bin}${path.delimiter}${process.env.PATH}`,
      HOME: home,
      XDG_CACHE_HOME: path.join(home, '.cache'),
      TESSERA_HOME: path.join(home, '.tessera'),
      GIT_CONFIG_NOSYSTEM: '1',
      NO_COLOR: '1',
      TESSERA_ACTION_SKIP_INSTALL: '1',
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: eventName,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_SERVER_URL: 'https://github.com',
      ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase().replace(/-/g, '_')}`, v])),
    };
    // The runner's own identity variables, if any, must not stand in for the action's default.
    const r = await execa(process.execPath, [SCRIPT], { env: { ...env, GIT_AUTHOR_EMAIL: undefined, GIT_AUTHOR_NAME: undefined, GIT_COMMITTER_EMAIL: undefined, GIT_COMMITTER_NAME: undefined, TESSERA_REGISTRY: undefined }, cwd: root, reject: false });
    const outputs = Object.fromEntries(readFileSync(output, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr, outputs, summary: readFileSync(summary, 'utf8') };
  }

  const prEvent = (action: string, merged = false) => ({ action, number: 7, pull_request: { number: 7, html_url: 'https://github.com/acme/shop/pull/7', merged } });
  const openIds = async () => {
    const r = await execa(process.execPath, [TESSERA_BIN, '--registry', url, 'proposals', '--status', 'open', '--json'], { env: { HOME: home, XDG_CACHE_HOME: path.join(root, 'reader-cache'), NO_COLOR: '1' } });
    return (JSON.parse(r.stdout).proposals as any[]).map((p) => ({ id: p.id, pull_request: p.pull_request }));
  };

  it('push to main: syncs the manifest as the bot identity, summary written, no proposals', async () => {
    const r = await step('push', { ref: 'refs/heads/main' }, { manifest: mainManifest, registry: url });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.outputs).toEqual({ proposals: '', waiting: '', withdrawn: '' });
    expect(r.summary).toContain('### ✅ tessera sync-dbt: no breaking changes');
    expect(r.stdout).toMatch(/^::notice title=tessera sync-dbt::/m);
    expect(await gitIn(remote, ['log', '-1', '--format=%ae', 'refs/heads/main'])).toBe(BOT);
  });

  it('pull_request opened with a breaking change: fails, annotations and summary name the ack commands, outputs name the proposal, main unchanged', async () => {
    const before = await gitIn(remote, ['rev-parse', 'refs/heads/main']);
    const r = await step('pull_request', prEvent('opened'), { manifest: prManifest, registry: url });
    expect(r.code, r.stderr).toBe(1);
    const [open] = await openIds();
    expect(open).toEqual({ id: expect.stringMatching(/^p-[0-9a-f]{8}$/), pull_request: { id: '7', url: 'https://github.com/acme/shop/pull/7' } });
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors.some((l) => l.includes(`tessera ack ${open!.id} --team finance`) && l.includes(`tessera ack ${open!.id} --team payments`))).toBe(true);
    expect(errors.some((l) => /PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL/.test(l))).toBe(true);
    expect(r.summary).toContain('pull request #7 waits on acknowledgments');
    expect(r.summary).toContain(`\`tessera ack ${open!.id} --team finance\``);
    expect(r.outputs).toEqual({ proposals: open!.id, waiting: open!.id, withdrawn: '' });
    expect(await gitIn(remote, ['rev-parse', 'refs/heads/main'])).toBe(before);

    // synchronize with the same manifest: nothing opened or updated, still waiting.
    const again = await step('pull_request', prEvent('synchronize'), { manifest: prManifest, registry: url });
    expect(again.code).toBe(1);
    expect(again.outputs).toEqual({ proposals: '', waiting: open!.id, withdrawn: '' });
  });

  it('pull_request closed after a merge does nothing (the push syncs it)', async () => {
    const before = await gitIn(remote, ['for-each-ref']);
    const r = await step('pull_request', prEvent('closed', true), { manifest: prManifest, registry: url });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/::notice title=tessera::pull request #7 merged/);
    expect(await gitIn(remote, ['for-each-ref'])).toBe(before);
  });

  it('pull_request closed unmerged withdraws its proposals and says so', async () => {
    const [open] = await openIds();
    const r = await step('pull_request', prEvent('closed'), { manifest: prManifest, registry: url });
    expect(r.code, r.stderr).toBe(0);
    expect(r.outputs).toEqual({ proposals: '', waiting: '', withdrawn: open!.id });
    expect(r.summary).toContain(`pull request #7 closed unmerged: withdrew ${open!.id}`);
    expect(await openIds()).toEqual([]);
    expect(await gitIn(remote, ['log', '-1', '--format=%B', 'refs/heads/main'])).toMatch(/Tessera-Event: proposal.withdrawn/);
  });

  it('bad inputs: one ::error line, exit 2, nothing written', async () => {
    const before = await gitIn(remote, ['for-each-ref']);
    const bad = await step('push', {}, { manifest: mainManifest, registry: url, mode: 'deploy' });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe("::error title=tessera action::input mode 'deploy' is not check or sync");
    const check = await step('push', {}, { manifest: mainManifest, registry: url, mode: 'check' });
    expect(check.code).toBe(2);
    expect(check.stdout).toMatch(/mode check needs a pull_request event/);
    expect(await gitIn(remote, ['for-each-ref'])).toBe(before);
  });
});
