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
