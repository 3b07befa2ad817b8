/**
 * What a signed-in team can do from the pages, each through the app/
 * workflow the CLI and the API use, acting as the key (viewer.ctx): the
 * producer's withdraw, merge and force; register and unregister; the inbox;
 * and publishing with a preview (app/check, nothing written) before the
 * confirm step (app/publish). A refusal shows the CLI's one-line reason on
 * the page it came from, and nothing is written.
 */
import { withdraw } from '../../app/withdraw.js';
import { merge } from '../../app/merge.js';
import { consume } from '../../app/consume.js';
import { unconsume } from '../../app/unconsume.js';
import { publish } from '../../app/publish.js';
import { check } from '../../app/check.js';
import { TesseraError } from '../../core/errors.js';
import { loadSchemaText } from '../../core/schema/index.js';
import type { PublishRequest as ContractRequest } from '../../core/publish.js';
import { checkAssetId } from '../../core/paths.js';
import type { RegistrySource } from '../../http/data/source.js';
import { loadProposalDetail } from '../../http/data/proposals.js';
import { changeView } from '../../http/data/diff.js';
import { forceProposal } from '../../http/force.js';
import { contractFromLoaded } from '../../http/contract.js';
import type { FormBody } from '../../http/forms.js';
import type { Session, SessionStore } from '../../http/sessions.js';
import { assetIdParam, proposalIdParam } from '../../http/params.js';
import { redirect, type Reply } from '../../http/reply.js';
import type { DiffView, ProposalDetail } from '../../http/model.js';
import { html } from '../html.js';
import { refusalStatus, type Handler, type Pages, type Slots, type Viewer } from '../http/pages.js';
import { assetActions, inboxPage, previewPage, producerActions, publishPage, type PublishPreview } from '../views/team.js';

/** A publish preview waiting for its confirm step (kept in the session, never in the page). */
interface Draft {
  contract: ContractRequest;
  schemaText: string;
}

const field = (form: FormBody, name: string) => form.fields.get(name) ?? '';

export class TeamActions {
  constructor(
    private readonly pages: Pages,
    private readonly src: RegistrySource,
    private readonly sessions: SessionStore,
  ) {}

  /** The panels the asset and proposal pages show a signed-in team. */
  slots(): Slots {
    return {
      asset: async (id, viewer) => {
        const row = (await this.src.index()).byId.get(id);
        if (!viewer.key || !row) return html``;
        return assetActions(row, viewer.key.team, row.consumers.includes(viewer.key.team), viewer.token);
      },
      proposal: async (id, viewer) => {
        const open = (await this.src.openProposals()).find((s) => s.open.proposal.id === id);
        if (!viewer.key || !open || open.open.proposal.owner !== viewer.key.team) return html``;
        return producerActions(id, viewer.token);
      },
    };
  }

  routes(): Array<[RegExp, Handler]> {
    return [
      [
        /^\/inbox$/,
        async (_m, q, viewer) => {
          const flash = this.pages.takeFlash(q.get('flash'));
          return this.pages.page(viewer, 'Inbox', 'inbox', await this.inbox(viewer), 200, flash ? { flash } : {});
        },
      ],
      [
        /^\/publish$/,
        async (_m, q, viewer) => {
          const raw = q.get('asset')?.trim();
          return this.pages.page(viewer, 'Publish', 'publish', publishPage({ token: viewer.token, ...(raw ? { asset: checkAssetId(raw) } : {}) }));
        },
      ],
    ];
  }

  private async inbox(viewer: Viewer) {
    const team = viewer.key!.team;
    const open = (await this.src.openProposals()).filter((s) => s.view.pending.includes(team));
    const index = await this.src.index();
    const all = await this.src.openProposals();
    const details = (await Promise.all(open.map((s) => loadProposalDetail(this.src.ctx, index, all, s.open.proposal.id, viewer.email)))).filter((d): d is ProposalDetail => d !== undefined);
    return inboxPage(team, details, viewer.token, `team ${team} (key ${viewer.key!.name ?? viewer.key!.keyId})`);
  }

  /** The reply to a POST the pages know, or undefined for an unknown path. */
  async post(viewer: Viewer, session: Session, path: string, form: FormBody): Promise<Reply | undefined> {
    let m = /^\/proposals\/([^/]+)\/(ack|withdraw|merge|force)$/.exec(path);
    if (m) {
      const id = proposalIdParam(m[1]!);
      if (m[2] === 'ack') return this.pages.ack(viewer, id, form.fields);
      return this.onProposal(viewer, id, () => this.producer(viewer, id, m![2]!, field(form, 'reason')));
    }
    m = /^\/assets\/([^/]+)\/(register|unregister)$/.exec(path);
    if (m) {
      const asset = assetIdParam(m[1]!);
      return this.onAsset(viewer, asset, () => this.registration(viewer, asset, m![2] === 'register', form));
    }
    if (path === '/publish/preview') return this.preview(viewer, session, form);
    if (path === '/publish/confirm') return this.confirm(viewer, session, form);
    return undefined;
  }

  /** Run an action of a proposal's page: its flash on success, its refusal on that page otherwise. */
  private async onProposal(viewer: Viewer, id: string, act: () => Promise<{ text: string; to?: string }>): Promise<Reply> {
    try {
      const done = await act().finally(() => this.src.invalidate());
      return redirect(`${done.to ?? `/proposals/${encodeURIComponent(id)}`}?flash=${this.pages.putFlash('ok', done.text)}`);
    } catch (e) {
      if (!(e instanceof TesseraError)) throw e;
      return this.pages.proposal(viewer, id, { flash: { kind: 'error', text: e.oneLine() } }, {}, refusalStatus(e));
    }
  }

  private async onAsset(viewer: Viewer, asset: string, act: () => Promise<string>): Promise<Reply> {
    try {
      const text = await act().finally(() => this.src.invalidate());
      return redirect(`/assets/${encodeURIComponent(asset)}?flash=${this.pages.putFlash('ok', text)}`);
    } catch (e) {
      if (!(e instanceof TesseraError)) throw e;
      return this.pages.asset(viewer, asset, new URLSearchParams(), { flash: { kind: 'error', text: e.oneLine() } }, refusalStatus(e));
    }
  }

  private async producer(viewer: Viewer, id: string, action: string, reason: string): Promise<{ text: string; to?: string }> {
    const why = reason.trim();
    if (action === 'withdraw') {
      const { result } = await withdraw(viewer.ctx, { target: id, ...(why ? { reason: why } : {}) });
      return { text: `Withdrew ${result.id} (${result.asset} ${result.to_version}).` };
    }
    if (action === 'merge') {
      const { result } = await merge(viewer.ctx, { target: id });
      return { text: `Merged ${result.proposal.id}: ${result.proposal.asset} ${result.proposal.to_version} is live.` };
    }
    // Force: the proposal's own contract over the missing acks; publish refuses an empty reason with the CLI's message.
    const { result } = await forceProposal(viewer.ctx, id, why);
    const missing = result.forced?.missingTeams ?? [];
    return { text: `Force-published ${result.decision.asset} ${result.decision.version} over ${id}${missing.length ? ` without ${missing.join(', ')}` : ''}. Reason recorded: ${why}` };
  }

  private async registration(viewer: Viewer, asset: string, register: boolean, form: FormBody): Promise<string> {
    const team = viewer.key!.team;
    if (!register) {
      await unconsume(viewer.ctx, { asset, team });
      return `${team} no longer consumes ${asset}.`;
    }
    const purpose = field(form, 'purpose').trim();
    const fields = field(form, 'fields')
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean);
    const { result } = await consume(viewer.ctx, { asset, team, ...(purpose ? { purpose } : {}), ...(fields.length ? { fields } : {}) });
    return result.action === 'unchanged' ? `${team} already consumes ${asset}.` : `${team} ${result.action === 'registered' ? 'is registered as a consumer of' : 'updated its registration for'} ${asset}.`;
  }

  private publishForm(viewer: Viewer, status: number, asset: string, schemaText: string, message: string): Promise<Reply> {
    return this.pages.page(viewer, 'Publish', 'publish', publishPage({ token: viewer.token, asset, schemaText, message }), status);
  }

  /** Step one: judge the contract against the registry (app/check), keep it in the session, write nothing. */
  private async preview(viewer: Viewer, session: Session, form: FormBody): Promise<Reply> {
    const rawAsset = field(form, 'asset').trim();
    const upload = form.files.get('file');
    const schemaText = upload && upload.text.trim() ? upload.text : field(form, 'schema');
    try {
      const asset = checkAssetId(rawAsset);
      if (!schemaText.trim()) return await this.publishForm(viewer, 400, rawAsset, schemaText, 'Paste a JSON Schema or choose a file to upload.');
      const loaded = await loadSchemaText(schemaText, upload && upload.text.trim() ? `the uploaded file ${JSON.stringify(upload.filename.slice(0, 80))}` : 'the pasted schema');
      const contract = contractFromLoaded(asset, loaded, viewer.key!.team);
      const { result } = await check(viewer.ctx, contract);
      const d = result.decision;
      const existing = (await this.src.index()).byId.get(asset);
      const draft = this.sessions.putDraft(session, { contract, schemaText } satisfies Draft);
      const preview: PublishPreview = {
        asset,
        token: viewer.token,
        draft,
        action: d.action,
        version: d.version,
        ...('from' in d ? { from: d.from } : {}),
        owner: existing?.owner ?? contract.owner!,
        consumers: d.action === 'breaking' ? d.consumers : [],
        ...('report' in d ? { diff: previewDiff(d, 'from' in d ? d.from : d.version, result.options.contentModel) } : {}),
      };
      return await this.pages.page(viewer, `Preview ${asset}`, 'publish', previewPage(preview));
    } catch (e) {
      if (!(e instanceof TesseraError)) throw e;
      return this.publishForm(viewer, refusalStatus(e), rawAsset, schemaText, e.oneLine());
    }
  }

  /** Step two: publish the previewed contract (a proposal when it is breaking) and show the outcome. */
  private async confirm(viewer: Viewer, session: Session, form: FormBody): Promise<Reply> {
    const draft = this.sessions.takeDraft(session, form.fields.get('draft')) as Draft | undefined;
    if (!draft) return this.publishForm(viewer, 409, '', '', 'This preview has already been used or has expired; preview the schema again.');
    const asset = draft.contract.asset;
    try {
      const { result: r } = await publish(viewer.ctx, { contract: draft.contract }).finally(() => this.src.invalidate());
      if (r.proposal) {
        const text = `Opened proposal ${r.proposal.id} for ${asset} ${r.proposal.from_version} → ${r.proposal.to_version}: waiting for ${r.proposal.required_teams.join(', ')}.`;
        return redirect(`/proposals/${encodeURIComponent(r.proposal.id)}?flash=${this.pages.putFlash('ok', text)}`);
      }
      const text =
        r.action === 'unchanged'
          ? `${asset} is unchanged at ${r.decision.version}: nothing was written.`
          : `Published ${asset} ${r.decision.version}${r.noConsumers ? ' (breaking, but no team consumes it)' : ''}.`;
      return redirect(`/assets/${encodeURIComponent(asset)}?flash=${this.pages.putFlash('ok', text)}`);
    } catch (e) {
      if (!(e instanceof TesseraError)) throw e;
      return this.publishForm(viewer, refusalStatus(e), asset, draft.schemaText, e.oneLine());
    }
  }
}

/** The preview's diff in the asset page's shape, from check's decision. */
function previewDiff(d: Extract<Awaited<ReturnType<typeof check>>['result']['decision'], { report: unknown }>, from: string, contentModel: string): DiffView {
  return {
    from,
    to: d.version,
    mode: d.report.mode,
    contentModel,
    compatible: d.action !== 'breaking',
    bump: d.report.bump,
    changes: d.report.changes.map(changeView),
    hints: d.report.hints,
    guarantees: d.guarantees.map((g) => ({ rule: g.rule, guarantee: g.guarantee, severity: g.severity, breaking: g.breaking, message: g.message })),
  };
}
