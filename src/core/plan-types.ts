/** A file the plan writes (content) or deletes (null). Same shape registry/ commits. */
export interface FileWrite {
  path: string;
  content: string | null;
}
