/**
 * Reading proposals and acknowledgments. Open proposals are branches
 * (refs/heads/tessera/proposals/<id>); each team's ack is its own ref
 * (refs/tessera/acks/<id>/<team>) holding the team's consumer file with the
 * ack appended. Closed proposals leave proposals/<id>.yaml on main.
 */
import type { z } from 'zod';
import { git } from './git.js';
import type { Repository } from './repository.js';
import type { Snapshot } from './snapshot.js';
import { parseYamlText, validateValue } from '../core/codec.js';
import { consumerSchema, proposalSchema, versionSchema, type Ack, type Proposal, type Version } from '../core/model.js';
import { ACK_REF_PREFIX, PROPOSAL_BRANCH_PREFIX, latestAck, proposalPath } from '../core/proposal.js';
import { consumerPath, versionPath } from '../core/paths.js';
import { InputError } from '../core/errors.js';

export interface OpenProposal {
  proposal: Proposal;
  version: Version;
  branch: string;
  head: string;
}

export interface AckRecord {
  ack: Ack | undefined;
  ref: string;
  commit: string;
  authorEmail: string;
}

async function readAt<S extends z.ZodType>(repo: Repository, commit: string, path: string, schema: S): Promise<z.output<S>> {
  const text = await repo.reader.readText(`${commit}:${path}`);
  return validateValue(`${path} (at ${commit.slice(0, 12)})`, schema, parseYamlText(path, text));
}

export async function listOpenProposals(repo: Repository): Promise<OpenProposal[]> {
  const refs = await repo.refs(PROPOSAL_BRANCH_PREFIX);
  const out = await Promise.all(
    [...refs].map(async ([branch, head]) => {
      const id = branch.slice(PROPOSAL_BRANCH_PREFIX.length);
      const proposal = await readAt(repo, head, proposalPath(id), proposalSchema);
      const version = await readAt(repo, head, versionPath(proposal.asset, proposal.to_version), versionSchema);
      return { proposal, version, branch, head };
    }),
  );
  return out.sort((a, b) => (a.proposal.created_at < b.proposal.created_at ? -1 : 1));
}

export async function readClosedProposals(snap: Snapshot): Promise<Proposal[]> {
  return snap.readMany(snap.list('proposals').filter((p) => p.endsWith('.yaml')), proposalSchema);
}

/** Find an open proposal by id, or by asset id (one open proposal per asset). */
export async function findOpenProposal(repo: Repository, idOrAsset: string): Promise<OpenProposal | undefined> {
  const open = await listOpenProposals(repo);
  return open.find((o) => o.proposal.id === idOrAsset) ?? open.find((o) => o.proposal.asset === idOrAsset);
}

export async function requireOpenProposal(repo: Repository, snap: Snapshot, idOrAsset: string): Promise<OpenProposal> {
  const found = await findOpenProposal(repo, idOrAsset);
  if (found) return found;
  if (/^p-[0-9a-f]{8}$/.test(idOrAsset) && snap.has(proposalPath(idOrAsset))) {
    const closed = await snap.read(proposalPath(idOrAsset), proposalSchema);
    throw new InputError(`proposal ${idOrAsset} is ${closed?.status ?? 'closed'}`, `see: tessera show ${idOrAsset}`);
  }
  throw new InputError(`no open proposal '${idOrAsset}'`, 'see: tessera proposals', 'not_found');
}

/** Every team's ack ref for a proposal, with the ack it carries and the commit's author. */
export async function readAcks(repo: Repository, open: OpenProposal): Promise<Map<string, AckRecord>> {
  const prefix = `${ACK_REF_PREFIX}${open.proposal.id}/`;
  await repo.sync();
  const r = await git(['for-each-ref', '--format=%(refname)%09%(objectname)%09%(authoremail)', prefix], { cwd: repo.gitDir });
  const out = new Map<string, AckRecord>();
  await Promise.all(
    r.stdout
      .split('\n')
      .filter(Boolean)
      .map(async (line) => {
        const [ref, commit, email] = line.split('\t') as [string, string, string];
        const team = ref.slice(prefix.length);
        out.set(team, { ack: await ackAt(repo, open.proposal, team, commit), ref, commit, authorEmail: email.replace(/^<|>$/g, '').toLowerCase() });
      }),
  );
  return out;
}

/** The ack a team's ack ref commit carries for a proposal (undefined when its consumer file holds none or is unreadable). */
export async function ackAt(repo: Repository, proposal: Pick<Proposal, 'id' | 'asset'>, team: string, commit: string): Promise<Ack | undefined> {
  const consumer = await readAt(repo, commit, consumerPath(proposal.asset, team), consumerSchema).catch(() => undefined);
  return latestAck(consumer, proposal.id);
}

export function acksByTeam(records: Map<string, AckRecord>): Map<string, Ack> {
  const out = new Map<string, Ack>();
  for (const [team, r] of records) if (r.ack) out.set(team, r.ack);
  return out;
}
