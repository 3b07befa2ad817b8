/**
 * The asset id rule (docs/dbt.md, "Asset ids"): the warehouse relation
 * `database.schema.alias` (sources: `identifier`), made safe by relationId.
 *
 * Two dbt nodes can name the same relation (a source declared over another
 * project's model, a model and a snapshot writing one table). The node that
 * builds the relation (model, seed, snapshot; by unique_id among equals) keeps
 * the plain id, so adding a source over an existing table never renames the
 * table's contract; every other one gets `<id>-<kind>`, then `<id>-<hash>` of
 * its unique_id if that is taken too. Each collision is a warning.
 */
import type { DbtNode } from './manifest.js';
import { ASSET_ID_MAX } from '../core/model.js';
import { hash8, isAssetId, relationId } from './ids.js';

export type DbtAssetKind = 'model' | 'source' | 'seed' | 'snapshot';

export interface AssetCandidate {
  uid: string;
  node: DbtNode;
  kind: DbtAssetKind;
}

export function relationOf(c: AssetCandidate): string | undefined {
  const n = c.node;
  const table = c.kind === 'source' ? (n.identifier ?? n.name) : (n.alias ?? n.name);
  return relationId([n.database, n.schema, table]);
}

function withSuffix(id: string, suffix: string): string {
  const base = id.slice(0, ASSET_ID_MAX - suffix.length - 1).replace(/[.]+$/, '');
  return `${base}-${suffix}`;
}

export function assignAssetIds(candidates: readonly AssetCandidate[], warnings: string[]): Map<string, string> {
  const byId = new Map<string, AssetCandidate[]>();
  const unusable: string[] = [];
  for (const c of candidates) {
    const id = relationOf(c);
    if (id === undefined) {
      unusable.push(c.uid);
      continue;
    }
    const list = byId.get(id);
    if (list) list.push(c);
    else byId.set(id, [c]);
  }
  for (const uid of unusable) {
    warnings.push(`skipped ${uid}: its relation name has no letters or digits to make an asset id from`);
  }

  const taken = new Set(byId.keys());
  const out = new Map<string, string>();
  for (const id of [...byId.keys()].sort()) {
    const group = byId.get(id) ?? [];
    const [first, ...rest] = [...group].sort((a, b) => rank(a) - rank(b) || (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
    if (first) out.set(first.uid, id);
    for (const c of rest) {
      let alt = withSuffix(id, c.kind);
      if (taken.has(alt) || !isAssetId(alt)) alt = withSuffix(id, hash8(c.uid));
      taken.add(alt);
      out.set(c.uid, alt);
      warnings.push(`${c.uid} names the same relation as ${first?.uid ?? '?'} (${id}); its asset id is ${alt}`);
    }
  }
  return out;
}

/** Nodes that build the relation come before sources that only read it. */
function rank(c: AssetCandidate): number {
  return c.kind === 'source' ? 1 : 0;
}
