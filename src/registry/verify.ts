/**
 * `tessera verify`: walk the main branch's first-parent history once,
 * tracking the registry's files as of each commit, and report every
 * violation of the registry's rules (invalid files, rewritten versions,
 * breaking changes without complete acks, acks by non-members, unsigned
 * commits under the signing policy).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import { git } from './git.js';
import type { Repository } from './repository.js';
import { describeCommits, readHistory, type CommitRecord } from './history.js';
import { parseYamlText, validateValue } from '../core/codec.js';
import { assetSchema, channelSchema, consumerSchema, keySchema, proposalSchema, registryConfigSchema, teamSchema, versionSchema, type Consumer, type Proposal, type RegistryConfig, type Version } from '../core/model.js';
import { ackerRefusal, fileKindOf, judgeArrival, newAcks, pathIdentity, requiredAtMerge, type FileKind, type Violation } from '../core/verify.js';
import { ackCurrent } from '../core/scope/teams.js';
import { parseKeyEmail } from '../core/keys.js';
import { checkCompatibility } from '../core/diff/index.js';
import { checkAvroHistory } from '../core/avro/publish.js';
import type { JsonSchema } from '../core/diff/types.js';
import { keyPath, MAIN_REF } from '../core/paths.js';
import { compareSemver } from '../core/semver.js';
import { RegistryError } from '../core/errors.js';
import { NoRegistryError } from './locate.js';

const SCHEMAS: Record<FileKind, z.ZodType> = {
  config: registryConfigSchema,
  team: teamSchema,
  asset: assetSchema,
  version: versionSchema,
  consumer: consumerSchema,
  proposal: proposalSchema,
  key: keySchema,
  channel: channelSchema,
};

export interface VerifyReport {
  range: string;
  commits: number;
  violations: Violation[];
}

export async function verifyRegistry(repo: Repository, options: { since?: string } = {}): Promise<VerifyReport> {
  await repo.sync();
  const head = await repo.head();
  if (!head) throw new NoRegistryError('the registry has no main branch yet', repo.location);
  const state = new Map<string, string>();
  if (options.since) {
    const r = await git(['ls-tree', '-r', '-z', '--full-tree', options.since], { cwd: repo.gitDir, allowFailure: true });
    if (r.code !== 0) throw new RegistryError(`--since ${options.since} is not a commit of the registry`, 'pass a commit id, tag or ref that exists');
    for (const rec of r.stdout.split('\0')) {
      const tab = rec.indexOf('\t');
      if (tab > 0) state.set(rec.slice(tab + 1), rec.slice(0, tab).split(' ')[2]!);
    }
  }
  const range = options.since ? `${options.since}..${MAIN_REF}` : MAIN_REF;

  const values = new Map<string, unknown>();
  const read = async <S extends z.ZodType>(p: string, oid: string | undefined, schema: S): Promise<z.output<S> | undefined> => {
    if (!oid) return undefined;
    const key = `${oid}`;
    if (!values.has(key)) {
      try {
        values.set(key, validateValue(p, schema, parseYamlText(p, await repo.reader.readText(oid))));
      } catch {
        values.set(key, undefined);
      }
    }
    return values.get(key) as z.output<S> | undefined;
  };
  const at = <S extends z.ZodType>(p: string, schema: S) => read(p, state.get(p), schema);
  const members = async (team: string): Promise<string[]> => ((await at(`teams/${team}.yaml`, teamSchema))?.members ?? []).map((m) => m.toLowerCase());
  /** Why this commit's author could not act (ack, force) for the team (a non-member; a key of another team, revoked, expired), or undefined. */
  const actorRefusal = async (team: string, authorEmail: string, trailers: Map<string, string[]>, ackAt: string): Promise<string | undefined> => {
    const address = parseKeyEmail(authorEmail);
    const key = address ? await at(keyPath(address.keyId), keySchema) : undefined;
    return ackerRefusal({ team, members: await members(team), authorEmail, keyTrailer: trailers.get('Tessera-Key')?.[0], key, at: ackAt });
  };

  // Signatures are checked against the allowed-signers file as the registry has it now.
  const headConfig = await readConfigAt(repo, head);
  const signed = headConfig?.policy.require_signed_commits ?? false;
  let signersFile: string | undefined;
  let tmp: string | undefined;
  if (signed) {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'tessera-signers-'));
    signersFile = path.join(tmp, 'allowed_signers');
    const blob = await git(['cat-file', 'blob', `${head}:${headConfig!.policy.allowed_signers}`], { cwd: repo.gitDir, allowFailure: true });
    writeFileSync(signersFile, blob.code === 0 ? blob.stdout : '');
  }
  let history: CommitRecord[];
  try {
    history = await readHistory(repo.gitDir, range, { checkSignatures: signed, ...(signersFile ? { allowedSignersFile: signersFile } : {}) });
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }

  const sideParents = history.flatMap((c) => c.parents.slice(1));
  const side = await describeCommits(repo.gitDir, sideParents);
  const violations: Violation[] = [];

  for (const c of history) {
    const config = (await at('tessera.yaml', registryConfigSchema)) as RegistryConfig | undefined;
    if (config?.policy.require_signed_commits && c.signature !== 'G') {
      violations.push({ kind: 'unsigned-commit', commit: c.commit, message: `commit by ${c.authorEmail} is ${c.signature === 'N' ? 'not signed' : `not signed by an allowed key (status ${c.signature})`}` });
    }
    const isMerge = c.parents.length > 1 && c.trailers.get('Tessera-Event')?.[0] === 'proposal.merged';

    for (const ch of c.changes) {
      const kind = fileKindOf(ch.path);
      if (!kind) continue;
      if (kind === 'version' && (ch.status === 'M' || ch.status === 'D' || ch.status === 'T') && ch.oldOid) {
        violations.push({ kind: 'immutable-version', commit: c.commit, path: ch.path, message: `published version file ${ch.path} was ${ch.status === 'D' ? 'deleted' : 'rewritten'}; versions are immutable` });
      }
      if (!ch.newOid) continue;
      const value = await validateAt(repo, ch.path, ch.newOid, kind, violations, c.commit);
      if (value === undefined) continue;

      if (kind === 'version' && ch.status === 'A') {
        const v = value as Version;
        const facts = await arrivalFacts(c, ch.path, v);
        if (facts) {
          const violation = judgeArrival({ ...facts, proposalWithoutConsumers: config?.policy.proposal_without_consumers ?? false });
          if (violation) violations.push(violation);
        }
      }
      if (kind === 'consumer') {
        const before = (await read(ch.path, ch.oldOid, consumerSchema)) as Consumer | undefined;
        for (const ack of newAcks(before, value as Consumer)) {
          const team = (value as Consumer).team;
          if (isMerge) {
            const backing = [...c.parents.slice(1)].map((p) => side.get(p)).find((s) => s?.trailers.get('Tessera-Team')?.[0] === team && s.trailers.get('Tessera-Proposal')?.[0] === ack.proposal);
            const refused = backing && (await actorRefusal(team, backing.authorEmail, backing.trailers, ack.at));
            if (!backing) violations.push({ kind: 'forged-ack', commit: c.commit, path: ch.path, message: `ack for team ${team} on ${ack.proposal} has no ack commit of its own behind it` });
            else if (refused) violations.push({ kind: 'forged-ack', commit: c.commit, path: ch.path, message: `ack for team ${team} on ${ack.proposal} was made by ${backing.authorEmail}, ${refused}` });
          } else {
            const refused = await actorRefusal(team, c.authorEmail, c.trailers, ack.at);
            if (refused) violations.push({ kind: 'forged-ack', commit: c.commit, path: ch.path, message: `ack for team ${team} on ${ack.proposal} was committed by ${c.authorEmail}, ${refused}` });
          }
        }
      }
    }
    for (const ch of c.changes) {
      if (ch.newOid) state.set(ch.path, ch.newOid);
      else state.delete(ch.path);
    }
  }
  return { range, commits: history.length, violations };

  /**
   * The registrations of `asset` and the strict_acks policy on main when the
   * proposal was created: the first parent of its branch's proposal.created
   * commit, found down the first parents of the merge's side parents (the
   * ack commits stand on the branch head). Undefined when the merge names
   * no such commit: the verifier then requires every team.
   */
  async function creationOf(c: CommitRecord, id: string, asset: string): Promise<{ strict: boolean; registrations: Map<string, Consumer> } | undefined> {
    for (const side of c.parents.slice(1)) {
      const r = await git(['log', '--first-parent', '--max-count=200', '--format=%H%x1f%P%x1f%(trailers:key=Tessera-Event,valueonly,separator=%x20)%x1f%(trailers:key=Tessera-Proposal,valueonly,separator=%x20)', side], { cwd: repo.gitDir, allowFailure: true });
      if (r.code !== 0) continue;
      for (const line of r.stdout.split('\n')) {
        const [, parents, event, proposal] = line.split('\x1f');
        if (event?.trim() !== 'proposal.created' || proposal?.trim() !== id) continue;
        const base = parents?.split(' ')[0];
        if (!base) return undefined;
        const registrations = new Map<string, Consumer>();
        const dir = `assets/${asset}/consumers/`;
        const tree = await git(['ls-tree', '-z', '--full-tree', base, dir], { cwd: repo.gitDir, allowFailure: true });
        for (const rec of tree.stdout.split('\0')) {
          const tab = rec.indexOf('\t');
          if (tab < 0) continue;
          const file = rec.slice(tab + 1);
          const consumer = await read(file, rec.slice(0, tab).split(' ')[2], consumerSchema);
          if (consumer) registrations.set(file.slice(dir.length, -'.yaml'.length), consumer);
        }
        const config = await readConfigAt(repo, base);
        return { strict: Boolean(config?.policy.strict_acks), registrations };
      }
    }
    return undefined;
  }

  async function arrivalFacts(c: CommitRecord, p: string, v: Version) {
    const prefix = `assets/${v.asset}/`;
    const earlier: Version[] = [];
    const consumers: string[] = [];
    const registrations = new Map<string, Consumer>();
    for (const [sp, oid] of state) {
      if (!sp.startsWith(prefix)) continue;
      if (sp.startsWith(`${prefix}versions/`)) {
        const ev = await read(sp, oid, versionSchema);
        if (ev && compareSemver(ev.version, v.version) < 0) earlier.push(ev);
      } else if (sp.startsWith(`${prefix}consumers/`)) {
        const team = sp.slice(`${prefix}consumers/`.length, -'.yaml'.length);
        consumers.push(team);
        const c = await read(sp, oid, consumerSchema);
        registrations.set(team, c ?? { team, asset: v.asset, registered_by: 'unknown@unknown', registered_at: '', acks: [] });
      }
    }
    if (earlier.length === 0) return undefined;
    earlier.sort((a, b) => compareSemver(a.version, b.version));
    const previous = earlier[earlier.length - 1]!;
    const asset = await at(`${prefix}asset.yaml`, assetSchema);
    // Judge with the rules in force before this commit, so a commit cannot relax its own check.
    const mode = asset?.compatibility_mode ?? previous.compatibility_mode;
    const contentModel = asset?.content_model ?? previous.content_model;
    const history = mode.endsWith('_transitive') ? earlier : [previous];
    // An Avro version went live under the Avro rules; its column view would be judged by the wrong ones.
    const avro = v.format === 'avro' && history.every((e) => e.format === 'avro');
    const report = avro
      ? checkAvroHistory(v.asset, history, v.avro, mode)
      : checkCompatibility(history.map((e) => e.schema as JsonSchema), v.schema as JsonSchema, { mode, contentModel, policy: 'strict', profile: 'tessera' });
    const owner = asset?.owner;
    // judgeArrival asks only whether the author may act for the owner: a member, or a valid key of the owner team.
    const ownerMembers = owner && !(await actorRefusal(owner, c.authorEmail, c.trailers, c.time)) ? [c.authorEmail] : [];
    const isMerge = c.parents.length > 1 && c.trailers.get('Tessera-Event')?.[0] === 'proposal.merged';
    const mergeProposalId = isMerge ? c.trailers.get('Tessera-Proposal')?.[0] : undefined;
    const teamBacking = new Map<string, { ok: boolean; why?: string }>();
    let requiredTeams: string[] | undefined;
    if (isMerge && mergeProposalId) {
      const record = c.changes.find((ch) => ch.path === `proposals/${mergeProposalId}.yaml`);
      const proposal = record ? ((await read(record.path, record.newOid, proposalSchema)) as Proposal | undefined) : undefined;
      const created = await creationOf(c, mergeProposalId, v.asset);
      const configNow = (await at('tessera.yaml', registryConfigSchema)) as RegistryConfig | undefined;
      const strict = !proposal?.scope || Boolean(configNow?.policy.strict_acks) || created === undefined || created.strict;
      const breakingChanges = [...report.changes, ...v.changes].filter((x) => x.breaking);
      requiredTeams = requiredAtMerge({ proposal: mergeProposalId, strict, changes: breakingChanges, atCreation: created?.registrations ?? new Map(), atMerge: registrations }).required;
      for (const team of consumers) {
        const backing = c.parents.slice(1).map((sp) => side.get(sp)).find((s) => s?.trailers.get('Tessera-Team')?.[0] === team && s.trailers.get('Tessera-Proposal')?.[0] === mergeProposalId);
        const decision = backing?.trailers.get('Tessera-Decision')?.[0];
        const consumerChange = c.changes.find((ch) => ch.path === `${prefix}consumers/${team}.yaml`);
        const after = consumerChange ? ((await read(consumerChange.path, consumerChange.newOid, consumerSchema)) as Consumer | undefined) : undefined;
        const ack = [...(after?.acks ?? [])].reverse().find((a) => a.proposal === mergeProposalId);
        const refused = backing && (await actorRefusal(team, backing.authorEmail, backing.trailers, ack?.at ?? c.time));
        if (!backing) teamBacking.set(team, { ok: false, why: 'no ack' });
        else if (refused) teamBacking.set(team, { ok: false, why: parseKeyEmail(backing.authorEmail) ? `acked by ${backing.authorEmail} ${refused}` : `acked by non-member ${backing.authorEmail}` });
        else if (decision !== 'approve' && decision !== 'migrating') teamBacking.set(team, { ok: false, why: `decision ${decision ?? 'unknown'}` });
        else if (!proposal || !ack || !ackCurrent(proposal, ack, registrations.get(team)?.fields, strict)) teamBacking.set(team, { ok: false, why: 'ack for another fingerprint' });
        else teamBacking.set(team, { ok: true });
      }
    }
    return {
      commit: c.commit,
      path: p,
      version: v,
      breaking: !report.compatible,
      breakingRules: [...new Set(report.changes.filter((x) => x.breaking).map((x) => x.rule))],
      consumersAtParent: consumers.sort(),
      ...(requiredTeams ? { requiredTeams } : {}),
      ownerMembers,
      authorEmail: c.authorEmail,
      isProposalMerge: isMerge,
      mergeProposalId,
      teamBacking,
    };
  }
}

async function validateAt(repo: Repository, p: string, oid: string, kind: FileKind, violations: Violation[], commit: string): Promise<unknown> {
  try {
    const value = validateValue(p, SCHEMAS[kind], parseYamlText(p, await repo.reader.readText(oid)));
    const identity = pathIdentity(p);
    if (identity && (value as Record<string, unknown>)[identity.field] !== identity.value) {
      violations.push({ kind: 'invalid-file', commit, path: p, message: `${p} says ${identity.field}: ${String((value as Record<string, unknown>)[identity.field])}, but its path says ${identity.value}` });
      return undefined;
    }
    return value;
  } catch (e) {
    violations.push({ kind: 'invalid-file', commit, path: p, message: (e as Error).message });
    return undefined;
  }
}

async function readConfigAt(repo: Repository, commit: string): Promise<RegistryConfig | undefined> {
  try {
    const text = await repo.reader.readText(`${commit}:tessera.yaml`);
    return validateValue('tessera.yaml', registryConfigSchema, parseYamlText('tessera.yaml', text));
  } catch {
    return undefined;
  }
}
