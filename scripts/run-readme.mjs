#!/usr/bin/env node
/**
 * Runs the README's shell blocks as written, the way a new user pastes them:
 * a fresh HOME (so no registry, no cache, only a git identity, which the
 * README asks for), `tessera` on PATH as this checkout's binary, and each
 * command checked against the exit code its own comment states (`# exit 1`),
 * 0 otherwise.
 *
 * Which blocks run, and where, is said next to each block in an HTML comment
 * (invisible on GitHub), so the README itself stays the single source:
 *   <!-- readme: cwd=checkout -->   run from the checkout (blocks that use fixtures/)
 *   <!-- readme: cwd=scratch -->    run from an empty directory shared by scratch blocks
 *   <!-- readme: skip (reason) -->  not runnable here (needs GitHub, an install from npm, ...)
 * A `sh` block without such a comment is an error: every block is either run or says why not.
 *
 * Usage: node scripts/run-readme.mjs [README.md]   (exit 0 when every command behaved as documented)
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const checkout = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const readmePath = path.resolve(process.argv[2] ?? path.join(checkout, 'README.md'));

/** Every fenced sh block with the directive in the comment line(s) just before it. */
export function readmeBlocks(text) {
  const lines = text.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(sh|bash|shell)\s*$/.exec(lines[i]);
    if (!open) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end++;
    let directive;
    for (let j = i - 1; j >= 0 && j >= i - 3; j--) {
      const m = /<!--\s*readme:\s*(.*?)\s*-->/.exec(lines[j]);
      if (m) {
        directive = m[1];
        break;
      }
      if (lines[j].trim() !== '' && !lines[j].startsWith('<!--')) break;
    }
    blocks.push({ line: start, body: lines.slice(start, end), directive });
    i = end;
  }
  return blocks;
}

/** Commands of a block: one per line, joining `\` continuations; comments and blank lines dropped. */
export function commandsOf(block) {
  const commands = [];
  let pending = '';
  let startLine = block.line;
  block.body.forEach((raw, k) => {
    if (!pending && (raw.trim() === '' || raw.trim().startsWith('#'))) return;
    if (!pending) startLine = block.line + k + 1;
    if (raw.endsWith('\\')) {
      pending += raw.slice(0, -1) + ' ';
      return;
    }
    const text = pending + raw;
    pending = '';
    const expected = /#.*\bexit (\d+)\b/.exec(text);
    commands.push({ text, line: startLine, expectedExit: expected ? Number(expected[1]) : 0 });
  });
  return commands;
}

function main() {
  const blocks = readmeBlocks(readFileSync(readmePath, 'utf8'));
  const root = mkdtempSync(path.join(os.tmpdir(), 'tessera-readme-'));
  const home = path.join(root, 'home');
  const bin = path.join(root, 'bin');
  const scratch = path.join(root, 'scratch');
  for (const d of [home, bin, scratch]) mkdirSync(d, { recursive: true });
  // `tessera` on PATH, as after `npm install -g`; `npx tessera` in the checkout resolves to the same binary.
  writeFileSync(path.join(bin, 'tessera'), `#!/bin/sh\nexec "${process.execPath}" "${path.join(checkout, 'bin', 'tessera.js')}" "$@"\n`);
  chmodSync(path.join(bin, 'tessera'), 0o755);
  const env = {
    PATH: `${bin}:${path.dirname(process.execPath)}:${process.env.PATH}`,
    HOME: home,
    NO_COLOR: '1',
    LANG: 'C.UTF-8',
    GIT_CONFIG_NOSYSTEM: '1',
    TMPDIR: os.tmpdir(),
  };
  // The README asks for a git identity before anything else; a fresh machine has only that.
  spawnSync('git', ['config', '--global', 'user.email', 'pat@acme.com'], { env });
  spawnSync('git', ['config', '--global', 'user.name', 'Pat'], { env });

  let failures = 0;
  let ran = 0;
  for (const block of blocks) {
    if (block.directive === undefined) {
      console.error(`README.md:${block.line}: a sh block without a <!-- readme: cwd=... | skip (reason) --> comment`);
      failures++;
      continue;
    }
    if (block.directive.startsWith('skip')) {
      console.log(`README.md:${block.line}: skipped: ${block.directive.replace(/^skip\s*\(?|\)$/g, '')}`);
      continue;
    }
    const cwd = block.directive === 'cwd=checkout' ? checkout : block.directive === 'cwd=scratch' ? scratch : undefined;
    if (!cwd) {
      console.error(`README.md:${block.line}: unknown directive "${block.directive}"`);
      failures++;
      continue;
    }
    // One shell per block, so `export` and variables carry from line to line as they do in a terminal.
    const commands = commandsOf(block);
    const script = commands
      .map((c, n) => `${c.text}\n__rc=$?; echo "__readme_exit ${n} $__rc" >&3`)
      .join('\n');
    const r = spawnSync('bash', ['-c', `exec 3>"${path.join(root, 'exits')}"\n${script}`], { cwd, env, encoding: 'utf8' });
    const exits = new Map(
      readFileSync(path.join(root, 'exits'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' ').slice(1).map(Number)),
    );
    commands.forEach((c, n) => {
      ran++;
      const got = exits.get(n);
      if (got === c.expectedExit) return;
      failures++;
      console.error(`README.md:${c.line}: \`${c.text.trim()}\` exited ${got ?? '(not reached)'}, the README says ${c.expectedExit}`);
    });
    if (failures) {
      console.error(`--- stdout of the block at README.md:${block.line}\n${r.stdout}--- stderr\n${r.stderr}`);
      break;
    }
  }
  rmSync(root, { recursive: true, force: true });
  console.log(failures ? `README: ${failures} command(s) did not behave as written` : `README: all ${ran} commands behaved as written`);
  process.exitCode = failures ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) main();
