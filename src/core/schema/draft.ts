/** The JSON Schema drafts Tessera validates against, chosen by `$schema`. */
export type Draft = 'draft-04' | 'draft-06' | 'draft-07' | '2019-09' | '2020-12';

export const DEFAULT_DRAFT: Draft = 'draft-07';

const BY_URI: Array<[RegExp, Draft]> = [
  [/^https?:\/\/json-schema\.org\/draft-04\/schema#?$/, 'draft-04'],
  [/^https?:\/\/json-schema\.org\/draft-06\/schema#?$/, 'draft-06'],
  [/^https?:\/\/json-schema\.org\/draft-07\/schema#?$/, 'draft-07'],
  [/^https?:\/\/json-schema\.org\/draft\/2019-09\/schema#?$/, '2019-09'],
  [/^https?:\/\/json-schema\.org\/draft\/2020-12\/schema#?$/, '2020-12'],
];

/** The draft a document declares; `undefined` for a `$schema` we do not know. */
export function draftOf(schema: unknown): Draft | undefined {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return DEFAULT_DRAFT;
  const declared = (schema as Record<string, unknown>).$schema;
  if (declared === undefined) return DEFAULT_DRAFT;
  if (typeof declared !== 'string') return undefined;
  for (const [re, draft] of BY_URI) if (re.test(declared.trim())) return draft;
  return undefined;
}
