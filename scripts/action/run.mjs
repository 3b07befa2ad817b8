#!/usr/bin/env node
/**
 * The GitHub Action (action.yml at the repository root) in one script, so it
 * can be run and tested outside GitHub: install the CLI, then, from the
 * event that started the workflow,
 *
 *   pull_request (opened, synchronize, reopened)  mode check: the gate,
 *       `tessera sync-dbt <manifest> --pull-request <n>`: plans against
 *       main, writes only the pull request's proposals, fails until every
 *       consumer team has acked;
 *   pull_request closed, not merged               `tessera withdraw --pull-request <n>`;
 *   pull_request closed, merged                   nothing: the push to main syncs it;
 *   push (and anything else)                      mode sync: `tessera sync-dbt <manifest>`,
 *       which merges the approved pull-request proposals whose contract the
 *       manifest makes.
 *
 * Inputs come as INPUT_<NAME> variables (action.yml maps each one), read
 * only through input(): test/ci/action.test.ts checks every name read here
 * is declared there. Outputs go to $GITHUB_OUTPUT, annotations to stdout,
 * the report to $GITHUB_STEP_SUMMARY (sync-dbt --format github appends it).
 * TESSERA_ACTION_SKIP_INSTALL=1 skips the npm install (the tessera on PATH is used).
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PACKAGE = '@tessera-contracts/cli';
/** The identity commits are made as when the runner has none: add it to tessera.yaml policy.ci_actors. */
const BOT = { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' };

function input(name, fallback = '') {
  const v = process.env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`];
  return v === undefined || v.trim() === '' ? fallback : v.trim();
}

function fail(message) {
  process.stdout.write(`::error title=tessera action::${message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`);
  process.exit(2);
}

function appendTo(file, text) {
  if (!file) return;
  try {
    appendFileSync(file, text);
  } catch (e) {
    process.stderr.write(`tessera action: could not write ${file} (${e.message.split('\n')[0]})\n`);
  }
}

/** One `name=value` line per output; values here never hold a newline. */
function setOutputs(values) {
  appendTo(process.env.GITHUB_OUTPUT, Object.entries(values).map(([k, v]) => `${k}=${v}\n`).join(''));
}

function readEvent() {
  const file = process.env.GITHUB_EVENT_PATH;
  if (!file) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    fail(`GITHUB_EVENT_PATH ${file} is not a readable JSON event (${e.message.split('\n')[0]})`);
  }
}

function tessera(args, env) {
  const r = spawnSync('tessera', args, { stdio: 'inherit', env });
  if (r.error) fail(`could not run tessera (${r.error.message}); is it installed and on PATH?`);
  return r.status ?? 1;
}

const version = input('version', 'latest');
const manifest = input('manifest', 'target/manifest.json');
const registry = input('registry');
const failOn = input('fail-on', 'breaking');
const format = input('format', 'github');
const eventName = process.env.GITHUB_EVENT_NAME ?? '';
const isPullRequest = eventName === 'pull_request' || eventName === 'pull_request_target';
const mode = input('mode', isPullRequest ? 'check' : 'sync');
if (mode !== 'check' && mode !== 'sync') fail(`input mode '${mode}' is not check or sync`);
if (!['breaking', 'warning', 'never'].includes(failOn)) fail(`input fail-on '${failOn}' is not breaking, warning or never`);

if (process.env.TESSERA_ACTION_SKIP_INSTALL !== '1') {
  const r = spawnSync('npm', ['install', '-g', '--no-fund', '--no-audit', `${PACKAGE}@${version}`], { stdio: 'inherit' });
  if (r.status !== 0) fail(`npm install -g ${PACKAGE}@${version} failed`);
}

const env = { ...process.env };
const configured = spawnSync('git', ['config', 'user.email'], { encoding: 'utf8' }).stdout?.trim();
if (!env.GIT_AUTHOR_EMAIL && !configured) {
  Object.assign(env, { GIT_AUTHOR_NAME: BOT.name, GIT_AUTHOR_EMAIL: BOT.email, GIT_COMMITTER_NAME: BOT.name, GIT_COMMITTER_EMAIL: BOT.email });
}
const common = registry ? ['--registry', registry] : [];

const event = readEvent();
const pr = event.pull_request;
if (mode === 'check' && (!pr || typeof pr.number !== 'number')) fail(`mode check needs a pull_request event (GITHUB_EVENT_NAME is '${eventName || 'unset'}')`);

if (mode === 'check' && event.action === 'closed') {
  if (pr.merged) {
    process.stdout.write(`::notice title=tessera::pull request #${pr.number} merged: the sync of main publishes its approved proposals\n`);
    setOutputs({ proposals: '', waiting: '', withdrawn: '' });
    process.exit(0);
  }
  const r = spawnSync('tessera', [...common, 'withdraw', '--pull-request', String(pr.number), '--json'], { env, encoding: 'utf8' });
  if (r.error) fail(`could not run tessera (${r.error.message}); is it installed and on PATH?`);
  process.stderr.write(r.stderr ?? '');
  let ids = [];
  if (r.status === 0) {
    ids = JSON.parse(r.stdout).proposals.map((p) => p.id);
    const line = ids.length ? `pull request #${pr.number} closed unmerged: withdrew ${ids.join(', ')}` : `pull request #${pr.number} closed unmerged: no open proposal named it`;
    process.stdout.write(`::notice title=tessera::${line}\n`);
    appendTo(process.env.GITHUB_STEP_SUMMARY, `### tessera: ${line}\n\n`);
  }
  setOutputs({ proposals: '', waiting: '', withdrawn: ids.join(' ') });
  process.exit(r.status ?? 1);
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'tessera-action-'));
const report = path.join(dir, 'report.json');
const args = [...common, 'sync-dbt', manifest, '--fail-on', failOn, '--format', format, '--report-json', report];
if (mode === 'check') {
  args.push('--pull-request', String(pr.number));
  if (typeof pr.html_url === 'string' && /^https?:\/\/\S+$/.test(pr.html_url)) args.push('--pull-request-url', pr.html_url);
}
const code = tessera(args, env);
let outputs = { proposals: '', waiting: '', withdrawn: '' };
try {
  const doc = JSON.parse(readFileSync(report, 'utf8'));
  outputs = {
    proposals: doc.proposals.map((p) => p.id).join(' '),
    waiting: doc.proposals_waiting.filter((g) => !g.approved).map((g) => g.id).join(' '),
    withdrawn: doc.proposals_withdrawn.map((w) => w.id).join(' '),
  };
} catch {
  // sync-dbt failed before it had a report (bad input, registry down): its error is on stderr already.
}
rmSync(dir, { recursive: true, force: true });
setOutputs(outputs);
process.exit(code);
