/** The HTML pages and the one action (ack), glued to the registry source. */
import { randomBytes } from 'node:crypto';
import { ack } from '../../app/ack.js';
import { TesseraError, ExitCode } from '../../core/errors.js';
import type { RegistrySource } from '../../http/data/source.js';
import { assetPage } from '../../http/data/index.js';
import { loadAssetDetail } from '../../http/data/asset.js';
import { loadProposalDetail, openSummary, proposalList } from '../../http/data/proposals.js';
import { logPage } from '../../http/data/log.js';
import { teamViews } from '../../http/data/teams.js';
import type { SafeHtml } from '../html.js';
import type { Chrome } from '../../http/model.js';
import { layout } from '../views/layout.js';
import { overviewPage } from '../views/overview.js';
import { assetsPage } from '../views/assets.js';
import { assetPageView } from '../views/asset.js';
import { proposalPage, proposalsPage, type AckFormState } from '../views/proposals.js';
import { teamsPage } from '../views/teams.js';
import { logPageView } from '../views/log.js';
import { errorPage } from '../views/error.js';
import { assetFilter, assetIdParam, intParam, logFilter, optionalVersion, proposalFilter, proposalIdParam } from '../../http/params.js';
import { redirect, type Reply } from '../../http/reply.js';

const PAGE_SIZE = 100;
const FLASH_TTL_MS = 5 * 60_000;

type Handler = (m: RegExpExecArray, q: URLSearchParams) => Promise<Reply>;

export class Pages {
  private readonly flashes = new Map<string, { kind: 'ok' | 'error'; text: string; at: number }>();

  constructor(
    private readonly src: RegistrySource,
    private readonly token: string,
    private readonly registryLabel: string,
  ) {}

  async chrome(title: string, nav: Chrome['nav'], extra: Partial<Chrome> = {}): Promise<Chrome> {
    const actor = await this.src.actorEmail();
    const commit = await this.src.mainCommit();
    return {
      title,
      nav,
      registry: this.registryLabel,
      ...(commit ? { commit } : {}),
      ...(actor.email ? { actor: actor.email } : {}),
      ...(this.src.fetchProblem ? { warning: this.src.fetchProblem } : {}),
      ...extra,
    };
  }

  async page(title: string, nav: Chrome['nav'], content: SafeHtml, status = 200, extra: Partial<Chrome> = {}): Promise<Reply> {
    return { status, type: 'html', body: layout(await this.chrome(title, nav, extra), content) };
  }

  async error(status: number, message: string): Promise<Reply> {
    return this.page(status === 404 ? 'Not found' : 'Error', 'none', errorPage(status, message), status);
  }

  routes(): Array<[RegExp, Handler]> {
    const src = this.src;
    return [
      [
        /^\/$/,
        async () => {
          const [index, open, events] = await Promise.all([src.index(), src.openProposals(), src.recentEvents(12)]);
          const content = overviewPage({
            name: index.config?.name,
            counts: { assets: index.assets.length, teams: index.teams.length, openProposals: open.length, versions: index.versionCount },
            open: open.map(openSummary),
            events,
          });
          return this.page('Overview', 'overview', content);
        },
      ],
      [
        /^\/assets$/,
        async (_m, q) => {
          const page = assetPage(await src.index(), assetFilter(q), intParam(q, 'offset', 0, 1e9), PAGE_SIZE);
          return this.page('Assets', 'assets', assetsPage(page));
        },
      ],
      [
        /^\/assets\/([^/]+)$/,
        async (m, q) => {
          const id = assetIdParam(m[1]!);
          const [index, open] = await Promise.all([src.index(), src.openProposals()]);
          const from = optionalVersion(q, 'from');
          const to = optionalVersion(q, 'to');
          const d = await loadAssetDetail(src.ctx.repo, index, { id, ...(from ? { from } : {}), ...(to ? { to } : {}) }, proposalList(open, index, { asset: id }));
          if (!d) return this.error(404, `unknown asset '${id}' (see the asset list)`);
          return this.page(id, 'assets', assetPageView(d));
        },
      ],
      [
        /^\/proposals$/,
        async (_m, q) => {
          const filter = proposalFilter(q);
          const rows = proposalList(await src.openProposals(), await src.index(), filter);
          return this.page('Proposals', 'proposals', proposalsPage(rows, filter));
        },
      ],
      [
        /^\/proposals\/([^/]+)$/,
        async (m, q) => {
          const id = proposalIdParam(m[1]!);
          const flash = this.takeFlash(q.get('flash'));
          return this.proposal(id, flash ? { flash } : {}, {}, 200);
        },
      ],
      [/^\/teams$/, async () => this.page('Teams', 'teams', teamsPage(teamViews(await src.index())))],
      [
        /^\/log$/,
        async (_m, q) => {
          const page = logPage(await src.log(), logFilter(q), 500);
          return this.page('Audit log', 'log', logPageView(page));
        },
      ],
    ];
  }

  private async proposal(id: string, extra: Partial<Chrome>, form: Partial<AckFormState>, status: number): Promise<Reply> {
    const actor = await this.src.actorEmail();
    const d = await loadProposalDetail(this.src.ctx, await this.src.index(), await this.src.openProposals(), id, actor.email);
    if (!d) return this.error(404, `no proposal '${id}' (see the proposal list)`);
    const state: AckFormState = { token: this.token, ...form, ...(actor.problem ? { identityProblem: actor.problem } : {}) };
    return this.page(`Proposal ${id}`, 'proposals', proposalPage(d, state), status, extra);
  }

  /**
   * Approve / Migrating / Block: exactly `tessera ack` (app/ack.ts), acting
   * as the local git identity. A refusal shows the CLI's own message.
   */
  async ack(rawId: string, form: URLSearchParams): Promise<Reply> {
    const id = proposalIdParam(rawId);
    const team = (form.get('team') ?? '').trim();
    const decision = (form.get('decision') ?? '').trim();
    const note = form.get('note') ?? '';
    try {
      const { result: out } = await ack(this.src.ctx, { target: id, team, decision, ...(note.trim() ? { note } : {}) }).finally(() => this.src.invalidate());
      const verb = decision === 'approve' ? 'approved' : decision === 'block' ? 'blocked' : 'marked as migrating';
      const tail = out.merged
        ? ` Every team has approved: ${out.proposal.asset} ${out.proposal.to_version} is merged and live.`
        : out.blocked.length
          ? ` Blocked by ${out.blocked.join(', ')}.`
          : out.pending.length
            ? ` Still waiting for ${out.pending.join(', ')}.`
            : out.heldFor
              ? ` Approved; publishes when pull request #${out.heldFor.pullRequest.id} merges.`
              : '';
      return redirect(`/proposals/${encodeURIComponent(id)}?flash=${this.putFlash('ok', `${team} ${verb} ${id}.${tail}`)}`);
    } catch (e) {
      if (!(e instanceof TesseraError)) throw e;
      const status = e.exitCode === ExitCode.Registry ? 503 : e.exitCode === ExitCode.Finding ? 409 : 400;
      return this.proposal(id, { flash: { kind: 'error', text: e.oneLine() } }, { note, team }, status);
    }
  }

  private putFlash(kind: 'ok' | 'error', text: string): string {
    const now = Date.now();
    for (const [k, v] of this.flashes) if (now - v.at > FLASH_TTL_MS) this.flashes.delete(k);
    const key = randomBytes(9).toString('base64url');
    this.flashes.set(key, { kind, text, at: now });
    return key;
  }

  private takeFlash(key: string | null): { kind: 'ok' | 'error'; text: string } | undefined {
    if (!key) return undefined;
    const f = this.flashes.get(key);
    if (!f) return undefined;
    this.flashes.delete(key);
    return { kind: f.kind, text: f.text };
  }
}
