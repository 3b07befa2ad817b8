/** The JSON read API under /api/v1/ (documented in docs/ui.md). */
import { readVersion, versionNumbers } from '../registry/state.js';
import { assetDir } from '../core/paths.js';
import type { Version } from '../core/model.js';
import type { RegistrySource } from './data/source.js';
import { assetPage } from './data/index.js';
import { loadAssetDetail } from './data/asset.js';
import { loadProposalDetail, proposalList } from './data/proposals.js';
import { logPage } from './data/log.js';
import { assetFilter, assetIdParam, intParam, logFilter, optionalVersion, proposalFilter, proposalIdParam, teamParam, versionParam } from './params.js';
import { json, type Reply } from './reply.js';
import { errorReply } from './errors.js';
import { teamViews } from './data/teams.js';

type Handler = (m: RegExpExecArray, q: URLSearchParams) => Promise<Reply>;

export function apiRoutes(src: RegistrySource): Array<[RegExp, Handler]> {
  const notFound = (what: string) => errorReply(404, 'not_found', `${what} not found`, 'check the id: GET /api/v1/assets or /api/v1/proposals lists them');
  return [
    [
      /^\/api\/v1\/?$/,
      async () =>
        json({
          endpoints: ['/api/v1/assets', '/api/v1/assets/{id}', '/api/v1/assets/{id}/contracts', '/api/v1/assets/{id}/contracts/{version}', '/api/v1/assets/{id}/contracts/diff?from=&to=', '/api/v1/proposals', '/api/v1/proposals/{id}', '/api/v1/log', '/api/v1/teams'],
        }),
    ],
    [
      /^\/api\/v1\/assets$/,
      async (_m, q) => {
        const filter = assetFilter(q);
        const page = assetPage(await src.index(), filter, intParam(q, 'offset', 0, 1e9), intParam(q, 'limit', 1000, 100_000) || 1000);
        return json({ total: page.total, count: page.matched, offset: page.offset, limit: page.limit, assets: page.rows });
      },
    ],
    [
      /^\/api\/v1\/assets\/([^/]+)$/,
      async (m, q) => {
        const id = assetIdParam(m[1]!);
        const index = await src.index();
        const open = await src.openProposals();
        const proposals = proposalList(open, index, { asset: id });
        const d = await loadAssetDetail(src.ctx.repo, index, { id, ...opt('from', optionalVersion(q, 'from')), ...opt('to', optionalVersion(q, 'to')) }, proposals);
        if (!d) return notFound(`asset '${id}'`);
        const { asset, current, columns, tableGuarantees, versions, consumers, downstream, upstream, quality } = d;
        return json({ asset, version: current, columns, table_guarantees: tableGuarantees, versions, consumers, proposals, downstream, upstream, quality });
      },
    ],
    [
      // `versions` is the UI's first name for it; `contracts` the original server's.
      /^\/api\/v1\/assets\/([^/]+)\/(?:versions|contracts)$/,
      async (m) => {
        const id = assetIdParam(m[1]!);
        const index = await src.index();
        if (!index.byId.has(id)) return notFound(`asset '${id}'`);
        const snap = await src.ctx.repo.snapshotAt(index.commit, [assetDir(id)]);
        const versions = (await Promise.all(versionNumbers(snap, id).map((n) => readVersion(snap, id, n)))).filter((v): v is Version => v !== undefined);
        return json({ asset: id, current_version: index.byId.get(id)!.current_version, versions });
      },
    ],
    [
      /^\/api\/v1\/assets\/([^/]+)\/(?:diff|contracts\/diff)$/,
      async (m, q) => {
        const id = assetIdParam(m[1]!);
        const index = await src.index();
        const d = await loadAssetDetail(src.ctx.repo, index, { id, ...opt('from', optionalVersion(q, 'from')), ...opt('to', optionalVersion(q, 'to')) }, []);
        if (!d) return notFound(`asset '${id}'`);
        if (d.diffProblem) return errorReply(404, 'not_found', d.diffProblem, 'pick versions from GET /api/v1/assets/{id}/contracts');
        return json({ asset: id, diff: d.diff ?? null });
      },
    ],
    [
      /^\/api\/v1\/assets\/([^/]+)\/contracts\/([^/]+)$/,
      async (m) => {
        const id = assetIdParam(m[1]!);
        const version = versionParam(m[2]!);
        const index = await src.index();
        if (!index.byId.has(id)) return notFound(`asset '${id}'`);
        const snap = await src.ctx.repo.snapshotAt(index.commit, [assetDir(id)]);
        const v = await readVersion(snap, id, version);
        if (!v) return notFound(`version ${version} of '${id}'`);
        return json({ asset: id, version: v });
      },
    ],
    [
      /^\/api\/v1\/proposals$/,
      async (_m, q) => {
        const pendingFor = q.get('pending_for') ? teamParam(q.get('pending_for')!) : undefined;
        const all = proposalList(await src.openProposals(), await src.index(), proposalFilter(q));
        // "waiting for my team": the proposals that still need this team's answer.
        const rows = pendingFor ? all.filter((p) => p.pending.includes(pendingFor)) : all;
        return json({ count: rows.length, proposals: rows });
      },
    ],
    [
      /^\/api\/v1\/proposals\/([^/]+)$/,
      async (m) => {
        const id = proposalIdParam(m[1]!);
        const d = await loadProposalDetail(src.ctx, await src.index(), await src.openProposals(), id, (await src.actorEmail()).email);
        if (!d) return notFound(`proposal '${id}'`);
        const { proposal, open, changes, answers, pending, blocked, complete, expired } = d;
        return json({ proposal, open, changes, answers, pending, blocked, complete, expired });
      },
    ],
    [
      /^\/api\/v1\/log$/,
      async (_m, q) => {
        const page = logPage(await src.log(), logFilter(q), intParam(q, 'limit', 500, 100_000) || 500);
        return json({ count: page.total, shown: page.entries.length, events: page.entries });
      },
    ],
    [/^\/api\/v1\/teams$/, async () => json({ teams: teamViews(await src.index()) })],
  ];
}

function opt<K extends string>(key: K, v: string | undefined): Partial<Record<K, string>> {
  return v === undefined ? {} : ({ [key]: v } as Record<K, string>);
}
