/**
 * docs/templates/registry-workflow.yml: its `run:` steps, run as a GitHub
 * runner runs them (bash -eo pipefail, in the checkout, with the real binary
 * as `tessera` on PATH), against a real registry repository: checked out
 * after a push to main, for a pull request (GitHub's merge commit), and on the
 * schedule. The `npm install -g` step is the one step not run: the binary is
 * this checkout's.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { PROJECT_ROOT, type RunResult } from '../helpers/cli.js';
import { bareRemote, cleanupTempDirs, gitIn, machine, tempDir, writeJson, USERS_V1, USERS_V1_1, USERS_V2_NO_EMAIL } from '../helpers/machines.js';
import { isolatedEnv, pathWith, runScript, tesseraBinDir } from './helpers.js';

afterAll(cleanupTempDirs);

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { if?: string; steps: Step[]; permissions?: Record<string, string> }>;
}

const TEMPLATE = path.join(PROJECT_ROOT, 'docs', 'templates', 'registry-workflow.yml');
const WORKFLOW = parse(readFileSync(TEMPLATE, 'utf8')) as Workflow;
const INSTALL = 'npm install -g @tessera-contracts/cli';

/** The steps a runner would execute after the checkout and the install. */
function runSteps(job: string): string[] {
  const steps = WORKFLOW.jobs[job]!.steps.filter((s) => s.run !== undefined).map((s) => s.run!.trim());
  expect(steps, `${job} installs the CLI by its npm name`).toContain(INSTALL);
  return steps.filter((s) => s !== INSTALL);
}

const VERIFY = runSteps('verify');
const EXPIRE = runSteps('expire');

describe('the registry workflow template', () => {
  it('verifies pull requests and pushes to main, expires daily, and installs @tessera-contracts/cli', () => {
    expect(Object.keys(WORKFLOW.on).sort()).toEqual(['pull_request', 'push', 'schedule', 'workflow_dispatch']);
    expect(WORKFLOW.on.push).toEqual({ branches: ['main'] });
    const [cron] = WORKFLOW.on.schedule as Array<{ cron: string }>;
    expect(cron!.cron).toMatch(/^\d{1,2} \d{1,2} \* \* \*$/);
    expect(WORKFLOW.jobs.expire!.permissions).toEqual({ contents: 'write' });
    const tesseraLines = (steps: string[]) => steps.flatMap((s) => s.split('\n')).filter((l) => /^\s*tessera /.test(l)).map((l) => l.trim());
    expect(tesseraLines(VERIFY)).toEqual(['tessera verify --registry . --format github']);
    expect(tesseraLines(EXPIRE)).toEqual(['tessera expire --registry .']);
    // Steps run literally here: no GitHub expressions in them.
    for (const s of [...VERIFY, ...EXPIRE]) expect(s).not.toContain('${{');
    expect(readFileSync(TEMPLATE, 'utf8')).toMatch(/^\s*# - name: tessera notify\n\s*# {3}run: tessera notify/m);
  });

  it('passes a healthy registry on push, expires on schedule and pushes, and fails a hand-edited contract on a pull request', async () => {
    const root = tempDir('tessera-registry-ci-');
    const remote = await bareRemote(root, 'registry.git');
    const url = pathToFileURL(remote).href;
    const producer = machine(root, 'pat', 'pat@acme.com', { TESSERA_REGISTRY: path.join(root, 'pat-clone') });
    const consumerB = machine(root, 'bea', 'bea@acme.com', { TESSERA_REGISTRY: path.join(root, 'bea-clone') });
    const ok = async (r: Promise<RunResult>) => {
      const done = await r;
      expect(done.exitCode, done.stderr).toBe(0);
      return done;
    };
    // A registry with a few commits, all made with the binary: teams, a contract, consumers, a compatible
    // version, a merged breaking change and one still open.
    await ok(producer.run(['init', path.join(root, 'pat-clone'), '--remote', url]));
    await ok(consumerB.run(['init', path.join(root, 'bea-clone'), '--remote', url]));
    await ok(producer.run(['team', 'add', 'core', '--member', 'pat@acme.com']));
    await ok(consumerB.run(['team', 'add', 'growth', '--member', 'bea@acme.com']));
    await ok(producer.run(['publish', 'users', writeJson(root, 'v1.json', USERS_V1), '--owner', 'core']));
    await ok(producer.run(['publish', 'orders', writeJson(root, 'orders.json', USERS_V1), '--owner', 'core']));
    await ok(consumerB.run(['consume', 'users', '--team', 'growth']));
    await ok(consumerB.run(['consume', 'orders', '--team', 'growth']));
    await ok(producer.run(['publish', 'users', writeJson(root, 'v1.1.json', USERS_V1_1)]));
    const merged = JSON.parse((await ok(producer.run(['publish', 'users', writeJson(root, 'v2.json', USERS_V2_NO_EMAIL), '--json']))).stdout) as { proposal: { id: string } };
    await ok(consumerB.run(['ack', merged.proposal.id, '--team', 'growth']));
    const open = JSON.parse((await ok(producer.run(['publish', 'orders', path.join(root, 'v2.json'), '--json']))).stdout) as { proposal: { id: string; expires_at: string } };

    const PATH = pathWith(tesseraBinDir(root));
    let runs = 0;
    /** actions/checkout: a fresh clone with main checked out (as on a push or a schedule). */
    const checkout = async () => {
      const dir = path.join(root, `checkout-${++runs}`);
      await gitIn(root, ['clone', '--quiet', remote, dir]);
      return dir;
    };
    /** The job's steps in order, stopping at the first failure as a runner does. */
    const job = async (steps: string[], cwd: string, env: Record<string, string | undefined> = {}) => {
      const runner = { cwd, env: { ...isolatedEnv(root, `runner-${runs}`), PATH, ...env } };
      const results: RunResult[] = [];
      for (const s of steps) {
        const r = await runScript(s, runner);
        results.push(r);
        if (r.exitCode !== 0) break;
      }
      return results;
    };
    const passes = (results: RunResult[], steps: string[]) => {
      expect(results.map((r) => r.exitCode), results.map((r) => r.stderr).join('\n')).toEqual(steps.map(() => 0));
      return results.at(-1)!;
    };

    // A push to main: verify passes.
    const pushed = passes(await job(VERIFY, await checkout()), VERIFY);
    expect(pushed.stdout).toMatch(/::notice title=tessera verify::\d+ commit\(s\) checked, 0 violation\(s\)/);

    // The schedule, once the open proposal is past its expiry: expire closes it on the remote, as the bot.
    const later = new Date(Date.parse(open.proposal.expires_at) + 86_400_000).toISOString();
    const expired = passes(await job(EXPIRE, await checkout(), { TESSERA_NOW: later }), EXPIRE);
    expect(expired.stdout).toBe(`Expired 1 proposal(s): ${open.proposal.id}`);
    expect(await gitIn(remote, ['log', '-1', '--format=%ae %s', 'main'])).toBe(`tessera-bot@users.noreply.github.com expire 1 proposal(s): ${open.proposal.id}`);
    expect(await gitIn(remote, ['for-each-ref', '--format=%(refname)', 'refs/heads/tessera/', 'refs/tessera/'])).toBe('');
    const again = passes(await job(EXPIRE, await checkout(), { TESSERA_NOW: later }), EXPIRE);
    expect(again.stdout).toBe('No open proposal is past its expiry.');
    // ... and the push that made passes verify.
    passes(await job(VERIFY, await checkout()), VERIFY);

    /** A pull request: a branch of hand-made commits, checked out as GitHub's merge of it into main. */
    const pullRequest = async (edit: (dir: string) => void) => {
      const dir = await checkout();
      const human = { GIT_AUTHOR_NAME: 'Hand', GIT_AUTHOR_EMAIL: 'hand@acme.com', GIT_COMMITTER_NAME: 'Hand', GIT_COMMITTER_EMAIL: 'hand@acme.com' };
      await gitIn(dir, ['checkout', '--quiet', '-b', 'edit']);
      edit(dir);
      await gitIn(dir, ['commit', '--quiet', '-am', 'edit by hand'], human);
      await gitIn(dir, ['checkout', '--quiet', '--detach', 'main']);
      await gitIn(dir, ['merge', '--quiet', '--no-ff', '-m', 'Merge edit into main', 'edit'], human);
      return dir;
    };

    // A healthy hand edit (a member added to a team file) passes.
    const teamEdit = await pullRequest((dir) => {
      const file = path.join(dir, 'teams', 'growth.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('  - bea@acme.com\n', '  - bea@acme.com\n  - hand@acme.com\n'));
    });
    expect(readFileSync(path.join(teamEdit, 'teams', 'growth.yaml'), 'utf8')).toContain('hand@acme.com');
    passes(await job(VERIFY, teamEdit), VERIFY);

    // A published contract version edited by hand fails, with an annotation on the file.
    const contractEdit = await pullRequest((dir) => {
      const file = path.join(dir, 'assets', 'users', 'versions', '1.0.0.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/^( {6}type: )integer$/m, '$1string'));
    });
    const failed = await job(VERIFY, contractEdit);
    expect(failed.map((r) => r.exitCode)).toEqual([...VERIFY.slice(0, -1).map(() => 0), 1]);
    expect(failed.at(-1)!.stdout).toContain('::error file=assets/users/versions/1.0.0.yaml,title=tessera verify%3A immutable-version::');
  });
});
