/**
 * Shell completion: each shell's script parses, names every command, and
 * completes commands, option values and registry names when a real shell runs
 * it; the lister the scripts call reads a real registry made with the binary,
 * and says nothing (exit 0, empty stderr) whenever there is nothing to read.
 */
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TESSERA_BIN, tessera } from '../helpers/cli.js';
import { USERS_V1, bareRemote, cleanupTempDirs, machine, tempDir, writeJson, type Machine } from '../helpers/machines.js';
import { buildProgram } from '../../src/cli/program.js';
import { NAME_REFS } from '../../src/registry/names.js';
import { describeCommands, valuesFromName } from '../../src/cli/completion/tree.js';
import { Command } from 'commander';
import { MAIN_REF } from '../../src/core/paths.js';
import { PROPOSAL_BRANCH_PREFIX } from '../../src/core/proposal.js';

function installed(shell: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;
}
const HAS = { zsh: installed('zsh'), fish: installed('fish') };
for (const [shell, has] of Object.entries(HAS)) {
  // CI installs both shells (.ci/run): there a missing one is a broken setup, not a skip.
  if (!has && (process.env.CI || process.env.TESSERA_REQUIRE_SHELLS === '1')) throw new Error(`${shell} is not installed, and CI must run its completion tests (apt-get install -y ${shell})`);
  if (!has) console.warn(`SKIPPED: the ${shell} completion tests: ${shell} is not installed (apt-get install -y ${shell})`);
}

const TOP_LEVEL = buildProgram()
  .commands.filter((c) => !(c as unknown as { _hidden: boolean })._hidden)
  .map((c) => c.name());

let root: string;
let ana: Machine;
let registry: string;
let proposalId: string;
/** What the scripts run as `tessera`: the built binary, under the registry's environment. */
let shim: string;

beforeAll(async () => {
  root = tempDir('tessera-completion-');
  ana = machine(root, 'ana', 'ana@acme.com');
  registry = path.join(root, 'registry.git');
  const ok = async (args: string[]) => {
    const r = await ana.run(args);
    if (r.exitCode !== 0 && r.exitCode !== 1) throw new Error(`${args.join(' ')}: ${r.stderr}`);
    return r;
  };
  await ok(['init', registry]);
  await ok(['--registry', registry, 'team', 'add', 'core', '--member', 'ana@acme.com']);
  await ok(['--registry', registry, 'team', 'add', 'growth', '--member', 'ana@acme.com']);
  const v1 = writeJson(root, 'v1.json', USERS_V1);
  const v2 = writeJson(root, 'v2.json', { ...USERS_V1, properties: { user_id: { type: 'integer' } }, required: ['user_id'] });
  await ok(['--registry', registry, 'publish', 'analytics.users', v1, '--owner', 'core']);
  await ok(['--registry', registry, 'publish', 'analytics.orders', v1, '--owner', 'core']);
  await ok(['--registry', registry, 'consume', 'analytics.users', '--team', 'growth']);
  const breaking = await ok(['--registry', registry, 'publish', 'analytics.users', v2, '--json']);
  proposalId = JSON.parse(breaking.stdout).proposal.id;
  expect(proposalId).toMatch(/^p-[0-9a-f]{8}$/);

  shim = path.join(root, 'tessera');
  const env = Object.entries({ ...ana.env, NO_COLOR: '1' }).map(([k, v]) => `export ${k}='${v}'`).join('\n');
  writeFileSync(shim, `#!/bin/sh\n${env}\nexec '${process.execPath}' '${TESSERA_BIN}' "$@"\n`);
  chmodSync(shim, 0o755);
});

afterAll(() => cleanupTempDirs());

async function script(shell: string): Promise<string> {
  const r = await tessera(['completion', shell], { raw: true });
  expect(r.exitCode).toBe(0);
  expect(r.stderr).toBe('');
  return r.stdout;
}

async function writeScript(shell: string, name: string): Promise<string> {
  const file = path.join(root, name);
  writeFileSync(file, await script(shell));
  return file;
}

describe('what an argument takes comes from its name', () => {
  it('asset, team and proposal names; files; nothing', () => {
    expect(valuesFromName('asset', true)).toEqual({ kind: 'names', sources: ['assets'] });
    expect(valuesFromName('assets...', true)).toEqual({ kind: 'names', sources: ['assets'] });
    expect(valuesFromName('asset-or-proposal', true)).toEqual({ kind: 'names', sources: ['assets', 'proposals'] });
    expect(valuesFromName('team', false)).toEqual({ kind: 'names', sources: ['teams'] });
    expect(valuesFromName('schema-file', true)).toEqual({ kind: 'files' });
    expect(valuesFromName('manifest.json', true)).toEqual({ kind: 'files' });
    expect(valuesFromName('path|url', false)).toEqual({ kind: 'files' });
    expect(valuesFromName('old', true)).toEqual({ kind: 'files' });
    expect(valuesFromName('text', false)).toEqual({ kind: 'none' });
  });

  it('a command added later completes without an entry anywhere else', () => {
    const program = new Command('tessera').option('--registry <path|url>', 'registry');
    program.command('frob').argument('<asset>', 'x').option('--by <team>', 'y').option('--loud', 'z');
    const frob = describeCommands(program).commands.find((c) => c.path.join(' ') === 'frob')!;
    expect(frob.args).toEqual([{ name: 'asset', variadic: false, values: { kind: 'names', sources: ['assets'] } }]);
    expect(frob.options.find((o) => o.flags.includes('--by'))?.values).toEqual({ kind: 'names', sources: ['teams'] });
    expect(frob.options.find((o) => o.flags.includes('--loud'))?.values).toBeUndefined();
    expect(frob.options.find((o) => o.flags.includes('--registry'))).toMatchObject({ global: true, values: { kind: 'files' } });
  });
});

describe('tessera completion <shell>', () => {
  it('bash: bash -n accepts it, and it names every top-level command', async () => {
    const file = await writeScript('bash', 'completion.bash');
    const r = await execa('bash', ['-n', file], { reject: false });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const text = await script('bash');
    const subs = /^ {4}''\) subs='([^']*)'/m.exec(text)?.[1]?.split(' ');
    expect(TOP_LEVEL.length).toBeGreaterThan(20);
    for (const c of TOP_LEVEL) expect(subs).toContain(c);
    expect(subs).not.toContain('complete');
  });

  it.skipIf(!HAS.zsh)('zsh: zsh -n accepts it, and it names every top-level command with its description', async () => {
    const file = await writeScript('zsh', '_tessera');
    const r = await execa('zsh', ['-n', file], { reject: false });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const text = await script('zsh');
    expect(text.startsWith('#compdef tessera\n')).toBe(true);
    for (const c of TOP_LEVEL) expect(text).toContain(`'${c}:`);
  });

  it.skipIf(!HAS.fish)('fish: fish -n accepts it, and it names every top-level command', async () => {
    const file = await writeScript('fish', 'tessera.fish');
    const r = await execa('fish', ['--no-config', '-n', file], { reject: false });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const text = await script('fish');
    for (const c of TOP_LEVEL) expect(text).toContain(`-a '${c}' -d `);
  });

  it('keeps the hidden lister out of --help and out of what it completes; the scripts call it', async () => {
    const help = await tessera(['--help']);
    expect(help.stdout).toMatch(/^ {2}completion \[options\] <shell> /m);
    expect(help.stdout).not.toMatch(/^ {2}complete /m);
    const own = await tessera(['completion', '--help']);
    expect(own.stdout).toContain('eval "$(tessera completion bash)"');
    expect(own.stdout).toContain('~/.config/fish/completions/tessera.fish');
    for (const shell of ['bash', 'zsh', 'fish']) {
      const text = await script(shell);
      expect(text).toMatch(/"?\$bin"? complete /);
    }
  });

  it('--json: {shell, script}', async () => {
    const r = await tessera(['completion', 'fish', '--json']);
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.shell).toBe('fish');
    expect(out.script).toBe(await script('fish'));
  });

  it('an unknown shell: one line naming the choices, exit 2, nothing on stdout', async () => {
    const r = await tessera(['completion', 'tcsh'], { raw: true });
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("tessera: command-argument value 'tcsh' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish. (run tessera completion --help for usage)\n");
  });

  it('no shell: one line, exit 2', async () => {
    const r = await tessera(['completion'], { raw: true });
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("tessera: missing required argument 'shell' (run tessera completion --help for usage)\n");
  });
});

describe('tessera complete (the hidden lister the scripts call)', () => {
  const list = (args: string[], env: Record<string, string> = {}, cwd?: string) => tessera(['complete', ...args], { env: { ...ana.env, ...env }, cwd: cwd ?? root });

  it('lists the assets, teams and open proposals of a real registry', async () => {
    const assets = await list(['assets', '--registry', registry]);
    expect(assets).toMatchObject({ exitCode: 0, stderr: '' });
    expect(assets.stdout.split('\n')).toEqual(['analytics.orders', 'analytics.users']);
    expect((await list(['teams', '--registry', registry])).stdout.split('\n')).toEqual(['core', 'growth']);
    expect((await list(['proposals', '--registry', registry])).stdout).toBe(proposalId);
    const all = await list(['assets', 'proposals', '--registry', registry]);
    expect(all.stdout.split('\n')).toEqual(['analytics.orders', 'analytics.users', proposalId]);
  });

  it('finds the registry the way every command does (TESSERA_REGISTRY)', async () => {
    const r = await list(['teams'], { TESSERA_REGISTRY: registry });
    expect(r.stdout.split('\n')).toEqual(['core', 'growth']);
  });

  it('writes nothing into the registry (no parse cache, no refs, no objects)', async () => {
    const files = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)).sort();
    const before = files(registry);
    await list(['assets', 'teams', 'proposals', '--registry', registry]);
    expect(files(registry)).toEqual(before);
  });

  const silent = (r: { exitCode: number; stdout: string; stderr: string }) => expect(r).toEqual({ exitCode: 0, stdout: '', stderr: '' });

  it('a missing registry: nothing, and the default registry is not created', async () => {
    silent(await list(['assets', '--registry', path.join(root, 'nowhere')]));
    const home = path.join(root, 'fresh-home');
    mkdirSync(home);
    silent(await list(['assets', 'teams'], { HOME: home, TESSERA_HOME: path.join(home, '.tessera') }));
    expect(existsSync(path.join(home, '.tessera'))).toBe(false);
  });

  it('a URL registry with no local clone: nothing, no clone made (no network)', async () => {
    const cache = path.join(root, 'cache-empty');
    silent(await list(['assets'], { XDG_CACHE_HOME: cache, TESSERA_REGISTRY: 'https://git.invalid/acme/contracts.git' }));
    // Only bin/tessera.js's own code cache (tessera/v8) may appear there, no clone.
    expect(existsSync(cache) ? readdirSync(path.join(cache, 'tessera')).filter((d) => d !== 'v8') : []).toEqual([]);
  });

  it('a URL registry with a clone: the clone as it is, without fetching', async () => {
    const remote = await bareRemote(root, 'shared.git');
    const url = `file://${remote}`;
    const cache = path.join(root, 'cache-shared');
    const bo = machine(root, 'bo', 'bo@acme.com', { XDG_CACHE_HOME: cache });
    expect((await bo.run(['init', path.join(root, 'bo-reg'), '--remote', url])).exitCode).toBe(0);
    expect((await bo.run(['--registry', url, 'team', 'add', 'first', '--member', 'bo@acme.com'])).exitCode).toBe(0);
    // Someone else adds a team on the remote; the clone in the cache has not seen it.
    const cy = machine(root, 'cy', 'cy@acme.com');
    expect((await cy.run(['--registry', url, 'team', 'add', 'second', '--member', 'cy@acme.com'])).exitCode).toBe(0);
    const r = await list(['teams', '--registry', url], { XDG_CACHE_HOME: cache });
    expect(r).toMatchObject({ exitCode: 0, stderr: '', stdout: 'first' });
    // A remote that cannot be reached changes nothing either.
    rmSync(remote, { recursive: true, force: true });
    expect(await list(['teams', '--registry', url], { XDG_CACHE_HOME: cache })).toMatchObject({ exitCode: 0, stderr: '', stdout: 'first' });
  });

  it('a corrupt registry, a directory that is not one, a bad .tessera.yaml: nothing', async () => {
    const broken = path.join(root, 'broken.git');
    cpSync(registry, broken, { recursive: true });
    rmSync(path.join(broken, 'objects'), { recursive: true, force: true });
    mkdirSync(path.join(broken, 'objects'));
    silent(await list(['assets', 'teams', 'proposals', '--registry', broken]));

    const plain = path.join(root, 'plain');
    mkdirSync(plain);
    writeFileSync(path.join(plain, 'HEAD'), 'garbage');
    silent(await list(['assets', '--registry', plain]));

    const project = path.join(root, 'project');
    mkdirSync(project);
    writeFileSync(path.join(project, '.tessera.yaml'), 'registry: [unclosed');
    silent(await list(['assets'], {}, project));
  });

  it('reads the refs every other command uses', () => {
    expect(NAME_REFS).toEqual({ main: MAIN_REF, proposals: PROPOSAL_BRANCH_PREFIX });
  });

  it('unknown kinds list nothing', async () => {
    silent(await list(['colours', '--registry', registry]));
  });
});

describe('completing in a real shell', () => {
  /** Run the bash completion function for a command line whose last word is being completed. */
  async function bashComplete(...words: string[]): Promise<string[]> {
    const file = await writeScript('bash', 'run.bash');
    const r = await execa('bash', ['-c', `source '${file}'; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _tessera; printf '%s\\n' "\${COMPREPLY[@]}"`, '_', shim, ...words], { reject: false });
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter(Boolean);
  }

  it('bash: commands, subcommands, options, choices, assets, teams, proposals', async () => {
    expect(await bashComplete('')).toEqual(expect.arrayContaining(TOP_LEVEL));
    expect(await bashComplete('ve')).toEqual(['versions', 'verify']);
    expect(await bashComplete('comp')).toEqual(['completion']);
    expect(await bashComplete('team', '')).toEqual(expect.arrayContaining(['add', 'list']));
    expect(await bashComplete('--registry', registry, 'show', '')).toEqual(['analytics.orders', 'analytics.users', proposalId]);
    expect(await bashComplete('--registry', registry, 'versions', 'analytics.u')).toEqual(['analytics.users']);
    expect(await bashComplete('--registry', registry, 'publish', 'analytics.users', 'x.json', '--owner', '')).toEqual(['core', 'growth']);
    expect(await bashComplete('--registry', registry, 'team', 'add', 'g')).toEqual(['growth']);
    expect(await bashComplete('--registry', registry, 'ack', '')).toEqual([proposalId]);
    expect(await bashComplete('ack', '--registry', registry, proposalId, '--team', 'gr')).toEqual(['growth']);
    expect(await bashComplete('log', '--registry', registry, '--asset', 'analytics.o')).toEqual(['analytics.orders']);
    expect(await bashComplete('publish', '--mode', 'full')).toEqual(['full', 'full_transitive']);
    expect(await bashComplete('diff', '--format', '')).toEqual(['text', 'json', 'github', 'markdown']);
    expect(await bashComplete('publish', '--dry')).toEqual(['--dry-run']);
    expect(await bashComplete('completion', '')).toEqual(['bash', 'zsh', 'fish']);
    // set-mode <mode> [assets...]: the mode, then any number of assets.
    expect(await bashComplete('--registry', registry, 'set-mode', 'con')).toEqual(['consumer', 'consumer_transitive']);
    expect(await bashComplete('--registry', registry, 'set-mode', 'full', 'analytics.orders', 'analytics.u')).toEqual(['analytics.users']);
    // Past the last argument: nothing.
    expect(await bashComplete('--registry', registry, 'versions', 'analytics.users', '')).toEqual([]);
    // A registry that is not there: nothing, and no error on the terminal.
    expect(await bashComplete('--registry', path.join(root, 'nowhere'), 'show', '')).toEqual([]);
  });

  it.skipIf(!HAS.zsh)('zsh: the same walk, through compadd and _describe', async () => {
    const file = await writeScript('zsh', '_tessera_run');
    // Outside a completion widget compadd and _describe cannot run; stand-ins print what they were given.
    const stubs = `compdef() { :; }; compadd() { [[ $1 == -- ]] && shift; print -rl -- "$@"; }; _describe() { local -a d; d=("\${(@P)\${@[-1]}}"); print -rl -- "\${d[@]%%:*}"; }; _files() { print FILES; }`;
    const zshComplete = async (...words: string[]) => {
      const r = await execa('zsh', ['-fc', `${stubs}; source '${file}'; words=("$@"); CURRENT=$#; _tessera`, '_', shim, ...words], { reject: false });
      expect(r.stderr).toBe('');
      return r.stdout.split('\n').filter(Boolean);
    };
    expect(await zshComplete('')).toEqual(expect.arrayContaining(TOP_LEVEL));
    expect(await zshComplete('team', '')).toEqual(['add', 'list', 'help']);
    expect(await zshComplete('--registry', registry, 'show', '')).toEqual(['analytics.orders', 'analytics.users', proposalId]);
    expect(await zshComplete('--registry', registry, 'consume', 'analytics.users', '--team', '')).toEqual(['core', 'growth']);
    expect(await zshComplete('publish', 'a', '')).toEqual(['FILES']);
  });

  it.skipIf(!HAS.fish)('fish: complete -C', async () => {
    const file = await writeScript('fish', 'run.fish');
    const fishComplete = async (line: string) => {
      // The script completes the command named tessera: put the shim first on PATH under that name.
      const r = await execa('fish', ['--no-config', '-c', `source '${file}'; complete -C '${line}'`], { reject: false, env: { PATH: `${root}:${process.env.PATH}` } });
      expect(r.stderr).toBe('');
      return r.stdout.split('\n').filter(Boolean).map((l) => l.split('\t')[0]!);
    };
    expect(await fishComplete('tessera ')).toEqual(expect.arrayContaining(TOP_LEVEL));
    expect(await fishComplete(`tessera --registry ${registry} show `)).toEqual(['analytics.orders', 'analytics.users', proposalId]);
    expect(await fishComplete(`tessera --registry ${registry} publish analytics.users x.json --owner `)).toEqual(['core', 'growth']);
    expect(await fishComplete('tessera publish --mode full')).toEqual(['full', 'full_transitive']);
    expect(await fishComplete(`tessera --registry ${registry} versions analytics.users `)).toEqual([]);
  });
});
