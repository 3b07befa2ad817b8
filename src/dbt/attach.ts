/**
 * Which asset a dbt test belongs to. v10+ manifests say so (`attached_node`);
 * older ones only list what the test depends on, which for `relationships`
 * is two nodes. Then the test's own model argument (`ref('orders')`,
 * `source('raw', 'orders')`) or its `file_key_name` (`models.orders`) picks one.
 */
import type { DbtNode } from './manifest.js';

export interface AttachContext {
  /** The asset node for a unique_id, or undefined when that node is not an asset. */
  asset(uniqueId: string): DbtNode | undefined;
}

interface Target {
  kind: 'ref' | 'source';
  name: string;
  sourceName?: string;
  version?: string;
}

/** Returns the unique_id of the asset the test tests, or undefined. */
export function attachTest(test: DbtNode, ctx: AttachContext): string | undefined {
  if (test.attached_node && ctx.asset(test.attached_node)) return test.attached_node;
  const candidates = [...new Set(test.depends_on?.nodes ?? [])].filter((id) => ctx.asset(id) !== undefined);
  if (candidates.length <= 1) return candidates[0];
  const target = modelArgument(test) ?? fileKeyTarget(test);
  if (!target) return undefined;
  const matches = candidates.filter((id) => {
    const n = ctx.asset(id);
    if (!n) return false;
    if (target.kind === 'source') return n.resource_type === 'source' && n.name === target.name && n.source_name === target.sourceName;
    if (n.resource_type === 'source' || n.name !== target.name) return false;
    return target.version === undefined || String(n.version ?? '') === target.version;
  });
  return matches.length === 1 ? matches[0] : undefined;
}

const REF = /\bref\(\s*(['"])([^'"]+)\1(?:\s*,\s*(['"])([^'"]+)\3)?(?:\s*,\s*(?:version|v)\s*=\s*['"]?([^'")\s]+)['"]?)?\s*\)/;
const SOURCE = /\bsource\(\s*(['"])([^'"]+)\1\s*,\s*(['"])([^'"]+)\3\s*\)/;

/** `{{ get_where_subquery(ref('customers', version='2')) }}` -> ref customers v2. */
export function modelArgument(test: DbtNode): Target | undefined {
  const raw = test.test_metadata?.kwargs?.['model'];
  if (typeof raw !== 'string') return undefined;
  const s = SOURCE.exec(raw);
  if (s && s[2] && s[4]) return { kind: 'source', sourceName: s[2], name: s[4] };
  const r = REF.exec(raw);
  if (!r || !r[2]) return undefined;
  // ref('package', 'model') puts the model second.
  const name = r[4] ?? r[2];
  return r[5] !== undefined ? { kind: 'ref', name, version: r[5] } : { kind: 'ref', name };
}

function fileKeyTarget(test: DbtNode): Target | undefined {
  const key = test.file_key_name;
  if (!key) return undefined;
  const dot = key.indexOf('.');
  if (dot < 0) return undefined;
  const section = key.slice(0, dot);
  const name = key.slice(dot + 1);
  // A source's file key names only the source, not the table: not enough to choose.
  return section === 'sources' ? undefined : { kind: 'ref', name };
}
