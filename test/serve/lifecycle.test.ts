/**
 * SIGTERM finishes in-flight writes: a publish whose body is still arriving
 * when the server is told to stop completes (201, in the registry), new
 * connections are refused after it, and the process exits 0.
 */
import { afterAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import path from 'node:path';
import { cleanupTempDirs, machine, tempDir, USERS_V1 } from '../helpers/machines.js';
import { startServe } from './harness.js';

afterAll(() => cleanupTempDirs());

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('tessera serve on SIGTERM', () => {
  it('finishes the write in flight, then exits 0', async () => {
    const root = tempDir('tessera-serve-term-');
    const registry = path.join(root, 'registry.git');
    const ana = machine(root, 'ana', 'ana@acme.com', { TESSERA_REGISTRY: registry });
    expect((await ana.run(['init', registry])).exitCode).toBe(0);
    expect((await ana.run(['team', 'add', 'growth', '--member', 'ana@acme.com'])).exitCode).toBe(0);
    const key = (await ana.run(['key', 'create', '--team', 'growth'])).stdout.trim();
    const served = await startServe(ana.env);
    const body = JSON.stringify({ schema: USERS_V1, compatibility_mode: 'backward' });
    const half = Math.floor(body.length / 2);
    const url = new URL('/api/v1/assets/orders/contracts', served.url);
    const reply = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(url, { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.write(body.slice(0, half));
      // The signal arrives while the request is being received; the rest of the body comes after it.
      void pause(300).then(async () => {
        served.child.kill('SIGTERM');
        await pause(300);
        req.end(body.slice(half));
      });
    });
    const r = await reply;
    expect(r.status, r.text).toBe(201);
    expect(JSON.parse(r.text)).toMatchObject({ action: 'published', asset: 'orders', version: '1.0.0' });
    expect(await served.stop()).toBe(0);
    const show = await ana.run(['show', 'orders', '--json']);
    expect(show.exitCode).toBe(0);
    expect(show.stdout).toContain('user_id');
  });
});
