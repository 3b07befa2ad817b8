/**
 * The HTML pages and the ack action, glued to the registry source. Every
 * handler is given the viewer: who acts (the local git identity for `tessera
 * ui`, a signed-in key for `tessera serve`), with the context its writes run
 * in and the token its forms carry.
 */
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../app/context.js';
import { ack } from '../../app/ack.js';
import { TesseraError, ExitCode } from '../../core/errors.js';
import type { RegistrySource } from '../../http/data/source.js';
import { assetPage } from '../../http/data/index.js';
import { loadAssetDetail } from '../../http/data/asset.js';
import { loadProposalDetail, openSummary, proposalList } from '../../http/data/proposals.js';
import { logPage } from '../../http/data/log.js';
import { teamViews } from '../../http/data/teams.js';
import type { SafeHtml } from '../html.js';
import { layout, type PageChrome } from '../views/layout.js';
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

export interface Viewer {
  /** The identity actions run as; absent when there is none (its reason in `problem`). */
  email?: string;
  problem?: string;
  /** The token every form of this viewer's pages carries. */
  token: string;
  /** The context actions run in: its identity is the viewer's. */
  ctx: AppContext;
  /** Signed in with an API key (`tessera serve`). */
  key?: { keyId: string; team: string; scope: string; name?: string };
  /** Under `tessera serve` with no session: the header offers the sign-in. */
  signedOut?: boolean;
}

export type Handler = (m: RegExpExecArray, q: URLSearchParams, viewer: Viewer) => Promise<Reply>;

/** Page-specific panels added by the team-wide pages (src/ui/team), rendered where the view leaves a slot. */
export interface Slots {
  asset?: (id: string, viewer: Viewer) => Promise<SafeHtml>;
  proposal?: (id: string, viewer: Viewer) => Promise<SafeHtml>;
}

export class Pages {
  private readonly flashes = new Map<string, { kind: 'ok' | 'error'; text: string; at: number }>();
  slots: Slots = {};

  constructor(
    private readonly src: RegistrySource,
    private readonly registryLabel: string,
  ) {}

  async chrome(viewer: Viewer, title: string, nav: PageChrome['nav'], extra: Partial<PageChrome> = {}): Promise<PageChrome> {
    // Nobody signed in under `tessera serve`: nothing about the registry, not even where it is.
    if (viewer.signedOut) return { title, nav, registry: '', signedOut: true, ...extra };
    const commit = await this.src.mainCommit();
    return {
      title,
      nav,
      registry: this.registryLabel,
      ...(commit ? { commit } : {}),
      ...(viewer.email ? { actor: viewer.email } : {}),
      ...(viewer.key ? { session: { team: viewer.key.team, key: viewer.key.name ?? viewer.key.keyId, token: viewer.token } } : {}),
      ...(this.src.fetchProblem ? { warning: this.src.fetchProblem } : {}),
      ...extra,
    };
  }

  async page(viewer: Viewer, title: string, nav: PageChrome['nav'], content: SafeHtml, status = 200, extra: Partial<PageChrome> = {}): Promise<Reply> {
    return { status, type: 'html', body: layout(await this.chrome(viewer, title, nav, extra), content) };
  }

  async error(viewer: Viewer, status: number, message: string): Promise<Reply> {
    return this.page(viewer, status === 404 ? 'Not found' : 'Error', 'none', errorPage(status, message), status);
  }

  routes(): Array<[RegExp, Handler]> {
    const src = this.src;
    return [
      [
        /^\/$/,
        async (_m, _q, viewer) => {
          const [index, open, events] = await Promise.all([src.index(), src.openProposals(), src.recentEvents(12)]);
          const content = overviewPage({
            name: index.config?.name,
            counts: { assets: index.assets.length, teams: index.teams.length, openProposals: open.length, versions: index.versionCount },
            open: open.map(openSummary),
            events,
          });
          return this.page(viewer, 'Overview', 'overview', content);
        },
      ],
      [
        /^\/assets$/,
        async (_m, q, viewer) => {
          const page = assetPage(await src.index(), assetFilter(q), intParam(q, 'offset', 0, 1e9), PAGE_SIZE);
          return this.page(viewer, 'Assets', 'assets', assetsPage(page));
        },
      ],
      [
        /^\/assets\/([^/]+)$/,
        async (m, q, viewer) => {
          const flash = this.takeFlash(q.get('flash'));
          return this.asset(viewer, assetIdParam(m[1]!), q, flash ? { flash } : {}, 200);
        },
      ],
      [
        /^\/proposals$/,
        async (_m, q, viewer) => {
          const filter = proposalFilter(q);
          const rows = proposalList(await src.openProposals(), await src.index(), filter);
          return this.page(viewer, 'Proposals', 'proposals', proposalsPage(rows, filter));
        },
      ],
      [
        /^\/proposals\/([^/]+)$/,
        async (m, q, viewer) => {
          const id = proposalIdParam(m[1]!);
          const flash = this.takeFlash(q.get('flash'));
          return this.proposal(viewer, id, flash ? { flash } : {}, {}, 200);
        },
      ],
      [/^\/teams$/, async (_m, _q, viewer) => this.page(viewer, 'Teams', 'teams', teamsPage(teamViews(await src.index())))],
      [
        /^\/log$/,
        async (_m, q, viewer) => {
          const page = logPage(await src.log(), logFilter(q), 500);
          return this.page(viewer, 'Audit log', 'log', logPageView(page));
        },
      ],
    ];
  }

  /** One asset's page; `status` and `extra` carry a refusal of an action taken on it. */
  async asset(viewer: Viewer, id: string, q: URLSearchParams, extra: Partial<PageChrome>, status: number): Promise<Reply> {
    const src = this.src;
    const [index, open] = await Promise.all([src.index(), src.openProposals()]);
    const from = optionalVersion(q, 'from');
    const to = optionalVersion(q, 'to');
    const d = await loadAssetDetail(src.ctx.repo, index, { id, ...(from ? { from } : {}), ...(to ? { to } : {}) }, proposalList(open, index, { asset: id }));
    if (!d) return this.error(viewer, 404, `unknown asset '${id}' (see the asset list)`);
    const slot = this.slots.asset ? await this.slots.asset(id, viewer) : undefined;
    return this.page(viewer, id, 'assets', assetPageView(d, slot), status, extra);
  }

  /** One proposal's page; `status` and `extra` carry a refusal of an action taken on it. */
  async proposal(viewer: Viewer, id: string, extra: Partial<PageChrome>, form: Partial<AckFormState>, status: number): Promise<Reply> {
    const d = await loadProposalDetail(this.src.ctx, await this.src.index(), await this.src.openProposals(), id, viewer.email);
    if (!d) return this.error(viewer, 404, `no proposal '${id}' (see the proposal list)`);
    const state: AckFormState = { token: viewer.token, ...form, ...(viewer.problem ? { identityProblem: viewer.problem } : {}), ...(viewer.key ? { actorLabel: `team ${viewer.key.team} (key ${viewer.key.name ?? viewer.key.keyId})` } : {}) };
    const slot = this.slots.proposal ? await this.slots.proposal(id, viewer) : undefined;
    return this.page(viewer, `Proposal ${id}`, 'proposals', proposalPage(d, state, slot), status, extra);
  }

  /**
   * Approve / Migrating / Block: exactly `tessera ack` (app/ack.ts), acting
   * as the local git identity. A refusal shows the CLI's own message.
   */
  async ack(viewer: Viewer, rawId: string, form: Map<string, string>): Promise<Reply> {
    const id = proposalIdParam(rawId);
    const team = (form.get('team') ?? viewer.key?.team ?? '').trim();
    const decision = (form.get('decision') ?? '').trim();
    const note = form.get('note') ?? '';
    const back = form.get('return') === 'inbox' ? '/inbox' : `/proposals/${encodeURIComponent(id)}`;
    try {
      const { result: out } = await ack(viewer.ctx, { target: id, team, decision, ...(note.trim() ? { note } : {}) }).finally(() => this.src.invalidate());
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
      return redirect(`${back}?flash=${this.putFlash('ok', `${team} ${verb} ${id}.${tail}`)}`);
    } catch (e) {
      if (!(e instanceof TesseraError)) throw e;
      return this.proposal(viewer, id, { flash: { kind: 'error', text: e.oneLine() } }, { note, team }, refusalStatus(e));
    }
  }

  putFlash(kind: 'ok' | 'error', text: string): string {
    const now = Date.now();
    for (const [k, v] of this.flashes) if (now - v.at > FLASH_TTL_MS) this.flashes.delete(k);
    const key = randomBytes(9).toString('base64url');
    this.flashes.set(key, { kind, text, at: now });
    return key;
  }

  takeFlash(key: string | null): { kind: 'ok' | 'error'; text: string } | undefined {
    if (!key) return undefined;
    const f = this.flashes.get(key);
    if (!f) return undefined;
    this.flashes.delete(key);
    return { kind: f.kind, text: f.text };
  }
}

/** The HTTP status of an app refusal shown on a page: 503 for git, 409 for a policy finding, 400 for bad input. */
export function refusalStatus(e: TesseraError): number {
  return e.exitCode === ExitCode.Registry ? 503 : e.exitCode === ExitCode.Finding ? 409 : 400;
}
