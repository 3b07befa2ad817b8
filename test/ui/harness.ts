/**
 * Test harness for the web UI: a registry built with the real binary (the
 * seed scenario plus a little more), `tessera ui` started as a child
 * process on an OS-chosen port, and Debian's Chromium driven by
 * playwright-core. No mocks: if Chromium cannot start, the tests fail.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { TESSERA_BIN, PROJECT_ROOT } from '../helpers/cli.js';
import { gitIn, machine, tempDir, writeJson, USERS_V1, USERS_V2_NO_EMAIL, type Machine } from '../helpers/machines.js';

export const CHROMIUM = process.env.TESSERA_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const HOSTILE_DESCRIPTION = 'One row per order. <script>window.__pwned = true</script><img src=x onerror="window.__pwned = true"> & more';

export interface Scenario {
  root: string;
  registry: string;
  producer: Machine;
  /** The identity the UI server acts as: a member of team-b and team-c. */
  reviewer: Machine;
  /** Another team-b member, acting from the CLI. */
  bea: Machine;
  proposalId: string;
}

function must(r: { exitCode: number; stderr: string; stdout: string }, what: string): string {
  if (r.exitCode !== 0) throw new Error(`${what} failed (${r.exitCode}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** Commit a file onto main with git plumbing (as another tool would, e.g. quality results). */
export async function commitFile(gitDir: string, file: string, content: string, message: string): Promise<void> {
  const env = { GIT_AUTHOR_NAME: 'ci', GIT_AUTHOR_EMAIL: 'ci@acme.com', GIT_COMMITTER_NAME: 'ci', GIT_COMMITTER_EMAIL: 'ci@acme.com' };
  const parent = (await gitIn(gitDir, ['rev-parse', 'refs/heads/main'])).trim();
  const blob = path.join(tempDir('tessera-blob-'), 'blob');
  writeFileSync(blob, content);
  const oid = (await gitIn(gitDir, ['hash-object', '-w', blob])).trim();
  const index = path.join(tempDir('tessera-index-'), 'index');
  const ienv = { ...env, GIT_INDEX_FILE: index };
  await gitIn(gitDir, ['read-tree', parent], ienv);
  await gitIn(gitDir, ['update-index', '--add', '--cacheinfo', `100644,${oid},${file}`], ienv);
  const tree = (await gitIn(gitDir, ['write-tree'], ienv)).trim();
  const commit = (await gitIn(gitDir, ['commit-tree', tree, '-p', parent, '-m', message], env)).trim();
  await gitIn(gitDir, ['update-ref', 'refs/heads/main', commit, parent]);
}

export async function buildScenario(): Promise<Scenario> {
  const root = tempDir('tessera-ui-');
  const registry = path.join(root, 'registry');
  const env = { TESSERA_REGISTRY: registry };
  const producer = machine(root, 'pat', 'pat@acme.com', env);
  const reviewer = machine(root, 'uma', 'uma@acme.com', env);
  const bea = machine(root, 'bea', 'bea@acme.com', env);

  must(await producer.run(['init', registry]), 'init');
  must(await producer.run(['team', 'add', 'core', '--member', 'pat@acme.com']), 'team core');
  must(await producer.run(['team', 'add', 'team-b', '--member', 'bea@acme.com', '--member', 'uma@acme.com']), 'team b');
  must(await producer.run(['team', 'add', 'team-c', '--member', 'cid@acme.com', '--member', 'uma@acme.com']), 'team c');

  const guarantees = writeJson(root, 'g1.json', [
    { kind: 'not_null', column: 'user_id' },
    { kind: 'unique', column: 'user_id' },
    { kind: 'not_null', column: 'email' },
  ]);
  const v1 = writeJson(root, 'users.json', { schema: USERS_V1, compatibility_mode: 'backward' });
  must(await producer.run(['publish', 'users', v1, '--owner', 'core', '--kind', 'model', '--description', 'Everyone who signed up, one row per user. Built nightly from the auth service.', '--guarantees', guarantees]), 'publish users');
  must(await bea.run(['consume', 'users', '--team', 'team-b', '--purpose', 'weekly churn model', '--fields', 'user_id,email']), 'consume b');
  must(await reviewer.run(['consume', 'users', '--team', 'team-c', '--purpose', 'billing reconciliation']), 'consume c');

  // A few more assets so the lists have something to filter.
  const orders = writeJson(root, 'orders.json', {
    type: 'object',
    properties: { order_id: { type: 'integer' }, user_id: { type: 'integer' }, amount: { type: 'number' }, status: { type: 'string', enum: ['placed', 'shipped', 'returned'] } },
    required: ['order_id', 'user_id'],
  });
  must(await bea.run(['publish', 'orders', orders, '--owner', 'team-b', '--kind', 'table', '--description', HOSTILE_DESCRIPTION]), 'publish orders');
  must(await reviewer.run(['consume', 'orders', '--team', 'team-c']), 'consume orders');
  const events = writeJson(root, 'events.json', { type: 'object', properties: { event_id: { type: 'string', format: 'uuid' }, at: { type: 'string', format: 'date-time' } }, required: ['event_id'] });
  must(await producer.run(['publish', 'web.events', events, '--owner', 'core', '--kind', 'topic', '--description', 'Clickstream events.']), 'publish events');

  // Data-quality results in the layout `tessera record-results` writes (src/core/quality.ts assetQualitySchema).
  const quality = [
    'asset: users',
    'updated_at: "2026-01-02T03:05:00Z"',
    'results:',
    '  - {guarantee: {kind: not_null, column: user_id}, test: test.not_null_users_user_id, status: pass, executed_at: "2026-01-02T03:00:00Z", recorded_at: "2026-01-02T03:05:00Z"}',
    '  - {guarantee: {kind: unique, column: user_id}, test: test.unique_users_user_id, status: fail, failures: 3, executed_at: "2026-01-02T03:00:00Z", recorded_at: "2026-01-02T03:05:00Z"}',
    '',
  ].join('\n');
  await commitFile(registry, 'assets/users/quality.yaml', quality, 'quality results for users');

  // The breaking change: email removed -> a proposal for team-b and team-c.
  const g2 = writeJson(root, 'g2.json', [
    { kind: 'not_null', column: 'user_id' },
    { kind: 'unique', column: 'user_id' },
  ]);
  const v2 = writeJson(root, 'users-v2.json', USERS_V2_NO_EMAIL);
  const out = JSON.parse(must(await producer.run(['publish', 'users', v2, '--guarantees', g2, '--json']), 'publish v2')) as { action: string; proposal: { id: string } };
  if (out.action !== 'proposal.created') throw new Error(`expected a proposal, got ${out.action}`);
  return { root, registry, producer, reviewer, bea, proposalId: out.proposal.id };
}

export interface RunningUi {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/** `tessera ui --port 0` as `who`; resolves once it prints its URL. */
export async function startUi(who: Machine, extraArgs: string[] = [], extraEnv: Record<string, string> = {}): Promise<RunningUi> {
  const child = spawn(process.execPath, [TESSERA_BIN, 'ui', '--port', '0', ...extraArgs], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, NO_COLOR: '1', ...who.env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tessera ui did not start: ${out}`)), 20_000);
    const check = () => {
      const m = /at (http:\/\/\S+\/) /.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tessera ui exited with ${code}: ${out}`));
    });
  });
  return {
    url,
    child,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Whether the browser suite runs. Without Chromium it is skipped with a
 * printed notice on a developer's machine, but never in CI or with
 * TESSERA_REQUIRE_BROWSER=1: there a missing browser fails the suite
 * (.ci/run installs Chromium and sets the variable).
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI || process.env.TESSERA_REQUIRE_BROWSER === '1') return true;
  console.warn(`SKIPPED: the browser tests (test/ui/browser.test.ts): no Chromium at ${CHROMIUM}. Install it with apt-get install -y chromium, or set TESSERA_CHROMIUM.`);
  return false;
}

/** Debian's Chromium, headless, with a fresh profile. Throws (never skips) when it cannot start. */
export async function launchBrowser(): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: install it with apt-get install -y chromium (.ci/run does this in CI)`);
  }
  return chromium.launchPersistentContext(tempDir('tessera-chromium-'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 860 },
    colorScheme: 'light',
    deviceScaleFactor: 1,
  });
}

/** A new page whose script errors (not the 4xx refusals Chromium also logs) are collected in `errors`. */
export async function watchedPage(browser: BrowserContext, errors: string[]): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
  });
  return page;
}

/** Where screenshots go: docs/screenshots with TESSERA_UPDATE_SCREENSHOTS=1 (so `npm test` leaves the tree clean), else a temp dir. */
export function screenshotDir(): string {
  const dir = process.env.TESSERA_UPDATE_SCREENSHOTS === '1' ? path.join(PROJECT_ROOT, 'docs', 'screenshots') : mkdtempSync(path.join(os.tmpdir(), 'tessera-shots-'));
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A screenshot was written and is a real, non-trivial PNG. */
export function expectPng(dir: string, name: string): void {
  const bytes = readFileSync(path.join(dir, name));
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(bytes.length).toBeGreaterThan(10_000);
}
