/**
 * Issue 3, "what it must show" 2: 20 processes at once, each publishing or
 * registering on a different asset, into one bare remote. Nothing is lost.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { bareRemote, cleanupTempDirs, gitIn, machine, tempDir, writeJson, USERS_V1 } from '../helpers/machines.js';

afterAll(cleanupTempDirs);

describe('concurrent writers on one remote', () => {
  it('lands all 20 publishes and registrations, with a clean fsck', async () => {
    const root = tempDir();
    const remote = await bareRemote(root);
    const url = pathToFileURL(remote).href;
    const emails = Array.from({ length: 20 }, (_, i) => `dev${i}@acme.com`);
    const admin = machine(root, 'admin', 'dev0@acme.com', { TESSERA_REGISTRY: url });
    expect((await admin.run(['init', `${root}/admin-clone`, '--remote', url])).exitCode).toBe(0);
    const members = emails.flatMap((e) => ['--member', e]);
    expect((await admin.run(['team', 'add', 'core', ...members])).exitCode).toBe(0);
    expect((await admin.run(['team', 'add', 'readers', ...members])).exitCode).toBe(0);
    const schema = writeJson(root, 'schema.json', USERS_V1);
    // Ten assets exist up front for the ten registrations.
    for (let i = 0; i < 10; i++) expect((await admin.run(['publish', `existing${i}`, schema, '--owner', 'core'])).exitCode).toBe(0);

    const runs = emails.map((email, i) => {
      // Each process is its own machine: own cache clone of the remote.
      const m = machine(root, `w${i}`, email, { TESSERA_REGISTRY: url });
      return i < 10 ? m.run(['publish', `fresh${i}`, schema, '--owner', 'core', '--json']) : m.run(['consume', `existing${i - 10}`, '--team', 'readers', '--json']);
    });
    const results = await Promise.all(runs);
    for (const r of results) expect(r.exitCode, r.stderr).toBe(0);

    const tree = await gitIn(remote, ['ls-tree', '-r', '--name-only', 'main']);
    for (let i = 0; i < 10; i++) {
      expect(tree).toContain(`assets/fresh${i}/versions/1.0.0.yaml`);
      expect(tree).toContain(`assets/existing${i}/consumers/readers.yaml`);
    }
    // Every write is its own commit on main: 1 init + 2 teams + 10 setup + 20.
    expect(Number((await gitIn(remote, ['rev-list', '--count', 'main'])).trim())).toBe(33);
    await gitIn(remote, ['fsck', '--strict', '--no-progress']);
  });
});
