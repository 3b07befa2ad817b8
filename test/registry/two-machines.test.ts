/**
 * Issue 3, "what it must show" 1: a bare remote and two clones standing for
 * two machines, driven through the real binary.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { bareRemote, cleanupTempDirs, gitIn, machine, tempDir, writeJson, USERS_V1, USERS_V1_1, USERS_V2_NO_EMAIL } from '../helpers/machines.js';

afterAll(cleanupTempDirs);

describe('a shared registry used from two machines', () => {
  it('publishes, registers, evolves compatibly, refuses a breaking change, and logs every step', async () => {
    const root = tempDir();
    const remote = await bareRemote(root);
    const remoteUrl = pathToFileURL(remote).href;
    const anaClone = path.join(root, 'ana-registry');
    const ana = machine(root, 'ana', 'ana@acme.com', { TESSERA_REGISTRY: anaClone });
    const li = machine(root, 'li', 'li@acme.com', { TESSERA_REGISTRY: remoteUrl });

    // Machine 1 clones the (empty) shared registry and initialises it.
    const init = await ana.run(['init', anaClone, '--remote', remoteUrl, '--json']);
    expect(init.stderr).toBe('');
    expect(JSON.parse(init.stdout).action).toBe('initialised-remote');

    expect((await ana.run(['team', 'add', 'core', '--member', 'ana@acme.com'])).exitCode).toBe(0);
    expect((await li.run(['team', 'add', 'growth', '--member', 'li@acme.com'])).exitCode).toBe(0);

    const v1 = writeJson(root, 'users-v1.json', USERS_V1);
    const pub1 = await ana.run(['publish', 'users', v1, '--owner', 'core', '--json']);
    expect(pub1.exitCode, pub1.stderr).toBe(0);
    expect(JSON.parse(pub1.stdout)).toMatchObject({ action: 'contract.published', version: '1.0.0' });

    const consume = await li.run(['consume', 'users', '--team', 'growth', '--purpose', 'retention dashboard']);
    expect(consume.exitCode, consume.stderr).toBe(0);

    const v11 = writeJson(root, 'users-v1.1.json', USERS_V1_1);
    const pub2 = await ana.run(['publish', 'users', v11, '--json']);
    expect(pub2.exitCode, pub2.stderr).toBe(0);
    expect(JSON.parse(pub2.stdout)).toMatchObject({ action: 'contract.published', from_version: '1.0.0', version: '1.1.0' });

    // The other machine sees the new version.
    const shown = JSON.parse((await li.run(['show', 'users', '--json'])).stdout);
    expect(shown.asset.current_version).toBe('1.1.0');
    expect(shown.consumers.map((c: { team: string }) => c.team)).toEqual(['growth']);

    // A breaking change does not reach main: `check` exits 1, and publish opens a proposal instead.
    const mainBefore = await gitIn(remote, ['rev-parse', 'main']);
    const v2 = writeJson(root, 'users-v2.json', USERS_V2_NO_EMAIL);
    const checked = await ana.run(['check', 'users', v2]);
    expect(checked.exitCode).toBe(1);
    expect(checked.stdout).toMatch(/PROPERTY_REMOVED\w*\s+\/properties\/email/);
    expect(checked.stdout).toMatch(/growth/);
    const proposed = await ana.run(['publish', 'users', v2, '--json']);
    expect(proposed.exitCode, proposed.stderr).toBe(0);
    expect(JSON.parse(proposed.stdout)).toMatchObject({ action: 'proposal.created', proposal: { required_teams: ['growth'] } });
    expect(await gitIn(remote, ['rev-parse', 'main'])).toBe(mainBefore);

    const log = JSON.parse((await li.run(['log', '--json'])).stdout) as { events: Array<{ event: string; actor: string; assets: string[]; version?: string }> };
    const story = log.events.map((e) => `${e.event} ${e.actor} ${e.assets.join(',')} ${e.version ?? ''}`.trim()).reverse();
    expect(story).toEqual([
      'registry.initialised ana@acme.com',
      'team.created ana@acme.com',
      'team.created li@acme.com',
      'contract.published ana@acme.com users 1.0.0',
      'consumer.registered li@acme.com users',
      'contract.published ana@acme.com users 1.1.0',
    ]);
    // The proposal lives on its own branch until every consumer acks.
    expect(await gitIn(remote, ['for-each-ref', '--format=%(refname)', 'refs/heads/tessera/proposals/'])).toMatch(/^refs\/heads\/tessera\/proposals\/p-[0-9a-f]{8}$/);
  });
});
