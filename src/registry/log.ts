/**
 * The audit trail is `git log` of the main branch: each commit's Tessera-*
 * trailers say what happened, to which asset, by whom. One git process.
 */
import { git } from './git.js';
import { parseTrailerLines } from '../core/commit-message.js';
import { MAIN_REF } from '../core/paths.js';
import { parseKeyEmail } from '../core/keys.js';

export interface LogEntry {
  commit: string;
  time: string;
  author: string;
  subject: string;
  event: string;
  actor: string;
  assets: string[];
  version?: string;
  proposal?: string;
  team?: string;
  /** Made through an API key (`Tessera-Key`): the key and the team it acts as. */
  key?: { id: string; team: string };
  trailers: Record<string, string[]>;
}

const FIELD = '\x1f';
const RECORD = '\x1e';

export async function readLog(gitDir: string, options: { ref?: string; since?: string; maxCount?: number; grepEvent?: string } = {}): Promise<LogEntry[]> {
  // --date-order: never a parent before its children (same-second commits are common), otherwise by time.
  const args = ['log', '--date-order', `--format=%H${FIELD}%aI${FIELD}%ae${FIELD}%s${FIELD}%(trailers:only,unfold)${RECORD}`];
  if (options.since) args.push(`--since=${options.since}`);
  if (options.maxCount) args.push(`--max-count=${options.maxCount}`);
  if (options.grepEvent) args.push(`--grep=^Tessera-Event: ${options.grepEvent.replace(/[.*[\]\\^$]/g, '\\$&')}`);
  args.push(options.ref ?? MAIN_REF, '--');
  const r = await git(args, { cwd: gitDir, allowFailure: true });
  if (r.code !== 0) return [];
  const out: LogEntry[] = [];
  for (const rec of r.stdout.split(RECORD)) {
    const [commit, time, author, subject, trailerText] = rec.replace(/^\n/, '').split(FIELD);
    if (!commit || !time) continue;
    const t = parseTrailerLines(trailerText ?? '');
    const event = t.get('Tessera-Event')?.[0];
    if (!event) continue;
    const entry: LogEntry = {
      commit,
      time,
      author: author ?? '',
      subject: subject ?? '',
      event,
      actor: t.get('Tessera-Actor')?.[0] ?? author ?? '',
      assets: t.get('Tessera-Asset') ?? [],
      trailers: Object.fromEntries(t),
    };
    const version = t.get('Tessera-Version')?.[0];
    if (version) entry.version = version;
    const proposal = t.get('Tessera-Proposal')?.[0];
    if (proposal) entry.proposal = proposal;
    const team = t.get('Tessera-Team')?.[0];
    if (team) entry.team = team;
    const keyId = t.get('Tessera-Key')?.[0];
    const address = parseKeyEmail(entry.actor);
    if (keyId && address?.keyId === keyId) entry.key = { id: keyId, team: address.team };
    out.push(entry);
  }
  return out;
}
