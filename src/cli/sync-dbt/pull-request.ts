/**
 * Which pull request a run is about: `--pull-request <n>` anywhere (GitHub,
 * GitLab, any CI), or `--pull-request` alone inside a CI job that describes
 * one: a GitHub Actions `pull_request` event (GITHUB_EVENT_PATH's
 * `pull_request.number` and `html_url`), or a GitLab merge request pipeline
 * (CI_MERGE_REQUEST_IID, CI_MERGE_REQUEST_PROJECT_URL). The address defaults
 * from the same variables; `--pull-request-url` always wins.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../../core/errors.js';
import { PULL_REQUEST_ID_PATTERN, pullRequestSchema, type PullRequestRef } from '../../core/model.js';

type Env = Record<string, string | undefined>;

const GITHUB_PR_EVENTS = new Set(['pull_request', 'pull_request_target']);

export interface PullRequestEvent {
  /** The GitHub event's action (`opened`, `synchronize`, `closed`, ...) when there is one. */
  action?: string;
  /** `pull_request.merged` of a GitHub event. */
  merged?: boolean;
  ref: PullRequestRef;
}

/** The pull request the CI job describes, or undefined outside one; InputError for an unreadable GitHub event file. */
export function pullRequestFromEnv(env: Env = process.env): PullRequestEvent | undefined {
  if (env.GITHUB_EVENT_NAME && GITHUB_PR_EVENTS.has(env.GITHUB_EVENT_NAME) && env.GITHUB_EVENT_PATH) {
    const file = env.GITHUB_EVENT_PATH;
    let event: unknown;
    try {
      event = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not JSON: ${(e as Error).message.split('\n')[0]}`;
      throw new InputError(`GITHUB_EVENT_PATH ${file}: ${why}`, 'run inside a GitHub Actions pull_request job, or pass the number: --pull-request 42');
    }
    const pr = (event as { pull_request?: { number?: unknown; html_url?: unknown; merged?: unknown } } | null)?.pull_request;
    const id = typeof pr?.number === 'number' ? String(pr.number) : undefined;
    if (!id || !PULL_REQUEST_ID_PATTERN.test(id)) {
      throw new InputError(`GITHUB_EVENT_PATH ${file} has no pull_request.number`, 'pass the number: --pull-request 42');
    }
    const url = typeof pr!.html_url === 'string' ? pr!.html_url : githubUrl(env, id);
    const action = (event as { action?: unknown }).action;
    return {
      ref: withUrl(id, url),
      ...(typeof action === 'string' ? { action } : {}),
      ...(typeof pr!.merged === 'boolean' ? { merged: pr!.merged } : {}),
    };
  }
  const iid = env.CI_MERGE_REQUEST_IID;
  if (iid && PULL_REQUEST_ID_PATTERN.test(iid)) {
    const project = env.CI_MERGE_REQUEST_PROJECT_URL;
    return { ref: withUrl(iid, project ? `${project}/-/merge_requests/${iid}` : undefined) };
  }
  return undefined;
}

function githubUrl(env: Env, id: string): string | undefined {
  return env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/pull/${id}` : undefined;
}

/** An address that does not validate is dropped, never stored: the id is what matters. */
function withUrl(id: string, url: string | undefined): PullRequestRef {
  const parsed = pullRequestSchema.safeParse({ id, ...(url ? { url } : {}) });
  return parsed.success ? parsed.data : { id };
}

/**
 * `--pull-request [n]` and `--pull-request-url <url>` as given: undefined
 * when neither is, else the pull request, or a one-line InputError.
 */
export function resolvePullRequest(opts: { pullRequest?: unknown; pullRequestUrl?: unknown }, env: Env = process.env): PullRequestRef | undefined {
  const given = opts.pullRequest;
  const url = opts.pullRequestUrl === undefined ? undefined : String(opts.pullRequestUrl);
  if (given === undefined) {
    if (url !== undefined) throw new InputError('--pull-request-url needs --pull-request', 'pass both: --pull-request 42 --pull-request-url https://github.com/acme/dbt/pull/42');
    return undefined;
  }
  if (url !== undefined && !pullRequestSchema.shape.url.safeParse(url).success) {
    throw new InputError(`--pull-request-url '${url}' is not an http(s) address`, 'pass the pull request\'s web address, e.g. https://github.com/acme/dbt/pull/42');
  }
  if (given === true) {
    const found = pullRequestFromEnv(env);
    if (!found) {
      throw new InputError('--pull-request without a number needs a pull request CI job (GitHub Actions pull_request event, GitLab merge request pipeline)', 'pass the number: --pull-request 42');
    }
    return url !== undefined ? { id: found.ref.id, url } : found.ref;
  }
  const raw = String(given).trim();
  // `#42` (GitHub) and `!42` (GitLab) name the same number.
  const id = raw.replace(/^[#!]/, '');
  if (!PULL_REQUEST_ID_PATTERN.test(id)) {
    throw new InputError(`--pull-request '${raw}' is not a pull request number`, 'pass the pull (or merge) request\'s number, e.g. --pull-request 42');
  }
  return withUrl(id, url ?? githubUrl(env, id));
}
