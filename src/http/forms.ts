/**
 * HTML form bodies: application/x-www-form-urlencoded, and
 * multipart/form-data for the schema upload. Bounded (the caller's limit,
 * checked from Content-Length before reading and while reading); anything
 * else is refused with a one-line reason. Only what a browser sends is
 * parsed: text fields and file parts, no nested multiparts.
 */
import type { IncomingMessage } from 'node:http';
import { readBody } from './listen.js';

export interface FormBody {
  fields: Map<string, string>;
  /** Uploaded files by field name: the browser's file name and the content as UTF-8 text. */
  files: Map<string, { filename: string; text: string }>;
}

export class FormError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

const MAX_PARTS = 50;

function param(header: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|;)\\s*${name}=(?:"([^"]*)"|([^;\\s]*))`, 'i').exec(header);
  return m ? (m[1] ?? m[2]) : undefined;
}

export function parseMultipart(body: string, boundary: string): FormBody {
  const fields = new Map<string, string>();
  const files = new Map<string, { filename: string; text: string }>();
  const delimiter = `--${boundary}`;
  let at = body.indexOf(delimiter);
  if (at < 0) throw new FormError(400, 'the multipart form has no parts; send it from the page');
  let parts = 0;
  for (;;) {
    at += delimiter.length;
    if (body.slice(at, at + 2) === '--') break;
    if (body.slice(at, at + 2) !== '\r\n') throw new FormError(400, 'the multipart form is malformed; send it from the page');
    at += 2;
    const next = body.indexOf(`\r\n${delimiter}`, at);
    if (next < 0) throw new FormError(400, 'the multipart form is cut off; send it again');
    if (++parts > MAX_PARTS) throw new FormError(400, `the form has more than ${MAX_PARTS} parts`);
    const part = body.slice(at, next);
    const headEnd = part.indexOf('\r\n\r\n');
    if (headEnd < 0) throw new FormError(400, 'a part of the multipart form has no headers; send it from the page');
    const headers = part.slice(0, headEnd).split('\r\n');
    const disposition = headers.find((h) => /^content-disposition:/i.test(h)) ?? '';
    const name = param(disposition, 'name');
    if (!name) throw new FormError(400, 'a part of the multipart form has no name; send it from the page');
    const value = part.slice(headEnd + 4);
    const filename = param(disposition, 'filename');
    if (filename !== undefined) {
      // An empty file input still sends a part, with no file name and no content.
      if (filename !== '' || value !== '') files.set(name, { filename, text: value });
    } else if (!fields.has(name)) fields.set(name, value);
    at = next + 2;
  }
  return { fields, files };
}

/** A form POST's body; `max` bytes at most. */
export async function readForm(req: IncomingMessage, max: number): Promise<FormBody> {
  const read = () => readBody(req, max, () => new FormError(413, `the form is larger than ${max} bytes; send a smaller schema`));
  const contentType = req.headers['content-type'] ?? '';
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') {
    const q = new URLSearchParams(await read());
    const fields = new Map<string, string>();
    for (const [k, v] of q) if (!fields.has(k)) fields.set(k, v);
    return { fields, files: new Map() };
  }
  if (type === 'multipart/form-data') {
    const boundary = param(contentType, 'boundary');
    if (!boundary || boundary.length > 200) throw new FormError(400, 'the multipart form has no boundary; send it from the page');
    return parseMultipart(await read(), boundary);
  }
  req.resume();
  throw new FormError(415, 'send the form as application/x-www-form-urlencoded or multipart/form-data (submit it from the page)');
}
