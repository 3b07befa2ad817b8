/**
 * Commit messages are the audit log: a subject for people and trailers for
 * machines (`Tessera-Event`, `Tessera-Asset`, ...), readable by any git tool.
 */
export interface Trailers {
  event: string;
  actor: string;
  assets?: string[];
  version?: string;
  proposal?: string;
  team?: string;
  extra?: Record<string, string>;
}

export function formatCommitMessage(subject: string, t: Trailers, body?: string): string {
  const lines = [subject.replace(/\n/g, ' ').slice(0, 200), ''];
  if (body) lines.push(body.trim(), '');
  lines.push(`Tessera-Event: ${t.event}`);
  for (const a of t.assets ?? []) lines.push(`Tessera-Asset: ${a}`);
  if (t.version) lines.push(`Tessera-Version: ${t.version}`);
  if (t.proposal) lines.push(`Tessera-Proposal: ${t.proposal}`);
  if (t.team) lines.push(`Tessera-Team: ${t.team}`);
  for (const [k, v] of Object.entries(t.extra ?? {})) lines.push(`Tessera-${k}: ${v.replace(/\n/g, ' ')}`);
  lines.push(`Tessera-Actor: ${t.actor}`);
  return lines.join('\n') + '\n';
}

/** Parse `Key: value` trailer lines (as printed by %(trailers:only,unfold)). */
export function parseTrailerLines(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line.trim());
    if (!m) continue;
    const list = out.get(m[1]!) ?? [];
    list.push(m[2]!);
    out.set(m[1]!, list);
  }
  return out;
}

/**
 * A raw commit object (as `git cat-file commit` prints it) reduced to what
 * `git log --format=%aI %ae %(trailers:only,unfold)` gives: the author's
 * email, the author time in strict ISO 8601 with the commit's own offset,
 * and the trailers of the message's last paragraph, continuation lines
 * unfolded. Undefined for a commit without an author line.
 */
export function parseCommitObject(text: string): { authorEmail: string; authorIso: string; trailers: Map<string, string[]> } | undefined {
  const split = text.indexOf('\n\n');
  const headers = split < 0 ? text : text.slice(0, split);
  const message = split < 0 ? '' : text.slice(split + 2);
  const author = /^author .*<([^>]*)> (\d+) ([+-])(\d{2})(\d{2})$/m.exec(headers);
  if (!author) return undefined;
  const [, email, seconds, sign, hh, mm] = author as unknown as [string, string, string, string, string, string];
  const offset = (sign === '-' ? -1 : 1) * (Number(hh) * 3600 + Number(mm) * 60);
  const local = new Date((Number(seconds) + offset) * 1000).toISOString().slice(0, 19);
  const paragraphs = message.replace(/\s+$/, '').split(/\n[ \t]*\n/);
  const last = paragraphs.length > 1 ? paragraphs[paragraphs.length - 1]! : '';
  const unfolded = last.replace(/\n[ \t]+/g, ' ');
  return { authorEmail: email, authorIso: `${local}${sign}${hh}:${mm}`, trailers: parseTrailerLines(unfolded) };
}
