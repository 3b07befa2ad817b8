/**
 * The JSON error of every /api/v1 route, `tessera ui`'s and `tessera serve`'s:
 * `{"error": {"code", "message", "fix"}}`, with the status that fits the
 * app's error class (docs/serve.md, "Errors"). The message and fix are the
 * CLI's own one-line reasons, so a script sees what a person would.
 */
import { InputError, PolicyError, RegistryError, SchemaTooComplexError, TesseraError } from '../core/errors.js';
import { json, type Reply } from './reply.js';

export interface ApiErrorBody {
  error: { code: string; message: string; fix: string };
}

/** An HTTP-level refusal that is not an app error: no route, wrong method, body too large. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

export function errorReply(status: number, code: string, message: string, fix: string, headers?: Record<string, string>): Reply {
  const body: ApiErrorBody = { error: { code, message, fix } };
  return { ...json(body, status), ...(headers ? { headers } : {}) };
}

/** The reply for a thrown error; undefined for one that is a bug (the caller logs it and answers 500). */
export function replyForError(e: unknown): Reply | undefined {
  if (e instanceof HttpError) return errorReply(e.status, e.code, e.message, e.fix);
  if (!(e instanceof TesseraError)) return undefined;
  const fix = e.hint ?? '';
  if (e instanceof SchemaTooComplexError) return errorReply(422, 'schema_too_complex', e.message, fix);
  if (e instanceof PolicyError) return errorReply(409, 'policy', e.message, fix);
  if (e instanceof RegistryError) return errorReply(503, 'registry_unavailable', e.message, fix);
  if (e instanceof InputError && e.code === 'not_found') return errorReply(404, 'not_found', e.message, fix);
  return errorReply(400, 'invalid_input', e.message, fix);
}
