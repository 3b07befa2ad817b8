/**
 * One HTTP POST with a hard deadline, classified for the delivery engine:
 * 2xx delivered; 5xx, 408, 429, a network error or the deadline retryable;
 * any other answer (a 4xx, a redirect) final. Built on node:http rather than
 * fetch so that no keep-alive socket outlives the attempt (a `tessera notify`
 * run must be free to exit the moment it is done) and so that the deadline
 * covers connecting, sending and the status line alike.
 */
import http from 'node:http';
import https from 'node:https';
import type { DeliveryResult } from '../core/notify/types.js';

/** How much of a refusal's body goes into the error, which `notify --status` shows on one line. */
const BODY_EXCERPT = 120;

/** 408 Request Timeout and 429 Too Many Requests say "try again later", unlike the rest of 4xx. */
const RETRYABLE_4XX = new Set([408, 429]);

export function classify(status: number): Pick<DeliveryResult, 'ok' | 'retryable'> {
  if (status >= 200 && status < 300) return { ok: true, retryable: false };
  return { ok: false, retryable: status >= 500 || RETRYABLE_4XX.has(status) };
}

export function postJson(url: URL, headers: Record<string, string>, body: string, timeoutMs: number): Promise<DeliveryResult> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: DeliveryResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(r);
    };
    const req = client.request(url, { method: 'POST', agent: false, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const status = res.statusCode ?? 0;
      const verdict = classify(status);
      if (verdict.ok) return finish({ ...verdict, status });
      // A refusal's body usually says why; read a little of it, still within the deadline.
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        if (text.length >= BODY_EXCERPT) res.destroy();
      });
      const done = () => finish({ ...verdict, status, error: refusal(status, res.statusMessage, text) });
      res.on('end', done);
      res.on('close', done);
      res.on('error', done);
    });
    const timer = setTimeout(() => finish({ ok: false, retryable: true, error: `no answer from ${url.host} within ${timeoutMs} ms` }), timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => finish({ ok: false, retryable: true, error: `cannot reach ${url.host}: ${e.code ?? e.message}` }));
    req.end(body);
  });
}

function refusal(status: number, message: string | undefined, body: string): string {
  const excerpt = body.replace(/\s+/g, ' ').trim().slice(0, BODY_EXCERPT);
  return `HTTP ${status}${message ? ` ${message}` : ''}${excerpt ? `: ${excerpt}` : ''}`;
}
