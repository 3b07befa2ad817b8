/** The --port option and the bind failures of the commands that serve HTTP (ui, serve), in the CLI's voice. */
import { InputError } from '../core/errors.js';

export function portOption(value: unknown, fallback: number): number {
  const port = Number(value ?? fallback);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InputError(`--port ${String(value)} is not a port number`, 'use 0 to 65535 (0: any free port)');
  return port;
}

/** A listen error as the one-line refusal it is; anything else unchanged. */
export function bindError(e: unknown, host: string, port: number): unknown {
  const code = (e as { code?: string }).code;
  if (code === 'EADDRINUSE') return new InputError(`port ${port} is already in use`, 'choose another with --port, or --port 0 for any free port');
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return new InputError(`cannot bind to ${host}`, 'use an address of this machine, e.g. 127.0.0.1');
  return e;
}
