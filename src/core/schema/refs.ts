/**
 * `$ref` policy: every reference must point inside the document. Tessera
 * never fetches a schema (no network, no file system reach from a schema), so
 * a contract means the same thing on every machine and in CI.
 *
 * Supported local forms: "#", "#/json/pointer" (into $defs, definitions or any
 * location), "#name" for `$anchor` / `$dynamicAnchor` / draft-07 `$id: "#name"`,
 * and absolute or relative URIs that name an `$id` embedded in this document.
 */
import { quote, schemaInputError } from './problem.js';
import { forEachSubschema, isObject } from './walk.js';

/** Base for documents without an absolute `$id`; a scheme no one can fetch. */
const DOCUMENT_BASE = 'tessera-document:/root.json';

interface RefSite {
  keyword: string;
  ref: string;
  at: string;
  base: string;
}

function withoutHash(u: URL): string {
  const copy = new URL(u.href);
  copy.hash = '';
  return copy.href;
}

function decodeFragment(hash: string): string {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export function resolvePointer(root: unknown, pointer: string): { found: true; value: unknown } | { found: false } {
  if (pointer === '') return { found: true, value: root };
  let node: unknown = root;
  for (const rawSeg of pointer.slice(1).split('/')) {
    const seg = rawSeg.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      if (!/^(0|[1-9]\d*)$/.test(seg) || Number(seg) >= node.length) return { found: false };
      node = node[Number(seg)];
    } else if (isObject(node) && Object.prototype.hasOwnProperty.call(node, seg)) {
      node = node[seg];
    } else {
      return { found: false };
    }
  }
  return { found: true, value: node };
}

/** `legacyId`: draft-04 spells `$id` as `id`. */
export function checkRefs(schema: unknown, source: string, legacyId = false): void {
  const resources = new Map<string, unknown>();
  const anchors = new Map<string, unknown>();
  const sites: RefSite[] = [];
  resources.set(DOCUMENT_BASE, schema);

  forEachSubschema<string>(
    schema,
    (node, pointer, base) => {
      let here = base;
      const id = node.$id ?? (legacyId ? node.id : undefined);
      if (typeof id === 'string' && id !== '') {
        if (id.startsWith('#')) {
          anchors.set(`${base}#${decodeFragment(id)}`, node);
        } else {
          try {
            const u = new URL(id, base);
            here = withoutHash(u);
            resources.set(here, node);
            if (u.hash.length > 1) anchors.set(`${here}#${decodeFragment(u.hash)}`, node);
          } catch {
            // An unparsable $id names nothing; refs to it then fail to resolve, with that message.
          }
        }
      }
      for (const key of ['$anchor', '$dynamicAnchor'] as const) {
        const a = node[key];
        if (typeof a === 'string') anchors.set(`${here}#${a}`, node);
      }
      for (const key of ['$ref', '$dynamicRef', '$recursiveRef'] as const) {
        const r = node[key];
        if (typeof r === 'string') sites.push({ keyword: key, ref: r, at: `${pointer}/${key}`, base: here });
      }
      return here;
    },
    DOCUMENT_BASE,
  );

  for (const site of sites) checkSite(site, resources, anchors, source);
}

function checkSite(site: RefSite, resources: Map<string, unknown>, anchors: Map<string, unknown>, source: string): void {
  const { keyword, ref, at } = site;
  const label = `${keyword} ${quote(ref)} at ${at}`;
  let url: URL;
  try {
    url = new URL(ref, site.base);
  } catch {
    throw schemaInputError(source, `${label} is not a valid URI reference`, 'use a local reference such as "#/$defs/<name>"');
  }
  const doc = withoutHash(url);
  const resource = resources.get(doc);
  if (resource === undefined) {
    const kind = /^[a-z][a-z0-9+.-]*:/i.test(ref) ? (ref.toLowerCase().startsWith('file:') ? 'points to a file' : 'is remote') : 'points to another document';
    throw schemaInputError(
      source,
      `${label} ${kind}; Tessera never fetches referenced schemas`,
      'copy the referenced schema into $defs and point to it with "#/$defs/<name>"',
    );
  }
  const fragment = decodeFragment(url.hash);
  let target: unknown;
  if (fragment === '' || fragment.startsWith('/')) {
    const hit = resolvePointer(resource, fragment);
    if (!hit.found) {
      throw schemaInputError(source, `${label} does not resolve: nothing at ${fragment} in this document`, 'point $ref at an existing location such as "#/$defs/<name>", or add the missing definition');
    }
    target = hit.value;
  } else {
    target = anchors.get(`${doc}#${fragment}`);
    if (target === undefined) {
      throw schemaInputError(source, `${label} does not resolve: no $anchor ${quote(fragment)} in this document`, 'declare the anchor, or use a JSON pointer such as "#/$defs/<name>"');
    }
  }
  if (typeof target !== 'boolean' && !isObject(target)) {
    throw schemaInputError(source, `${label} points at a ${Array.isArray(target) ? 'list' : typeof target}, not a schema`, 'point $ref at a schema object, e.g. "#/$defs/<name>"');
  }
}
