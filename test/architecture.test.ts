/**
 * The layers of docs/architecture.md, checked on every `npm test`: core/ and
 * dbt/ are pure, registry/ is the only layer that runs git, app/ holds the
 * write workflows and never prints, and the adapters (cli/, ui/, serve/)
 * never import each other. One wiring point is allowed, and named below.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './helpers/cli.js';

const SRC = path.join(PROJECT_ROOT, 'src');

function filesUnder(dir: string): string[] {
  let out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  for (const name of names) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out = out.concat(filesUnder(full));
    else if (name.endsWith('.ts')) out.push(full);
  }
  return out;
}

/** Every module a file imports, static or dynamic, resolved to a path under src/ (or the bare specifier). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1] ?? m[2]!);
  return specs.map((s) => (s.startsWith('.') ? path.relative(SRC, path.resolve(path.dirname(file), s)) : s));
}

const layerOf = (rel: string) => rel.split(path.sep)[0]!;
const rel = (file: string) => path.relative(SRC, file);

/** The places an adapter starts another: `tessera ui` and `tessera serve` (CLI commands) start their servers. */
const WIRING = new Set([`cli${path.sep}commands${path.sep}ui.ts -> ui`, `cli${path.sep}commands${path.sep}serve.ts -> serve`]);

function violations(layer: string, forbidden: (imported: string) => boolean): string[] {
  const out: string[] = [];
  for (const file of filesUnder(path.join(SRC, layer))) {
    for (const imported of importsOf(file)) {
      if (!forbidden(imported)) continue;
      if (WIRING.has(`${rel(file)} -> ${layerOf(imported)}`)) continue;
      out.push(`${rel(file)} imports ${imported}`);
    }
  }
  return out;
}

const ADAPTERS = ['cli', 'ui', 'serve'];

describe('layers', () => {
  it('core/ and dbt/ are pure: no git, no file system, no network, no process, no other layer', () => {
    const impure = (i: string) => /^(node:)?(fs|fs\/promises|child_process|net|http|https|os|worker_threads)$/.test(i) || ['registry', 'notify', 'app', ...ADAPTERS].includes(layerOf(i));
    expect([...violations('core', impure), ...violations('dbt', impure)]).toEqual([]);
  });

  it('registry/ does not reach up into app/ or an adapter', () => {
    expect(violations('registry', (i) => ['app', ...ADAPTERS].includes(layerOf(i)))).toEqual([]);
  });

  it('notify/ (network delivery) builds on core/ only: no git, no use case, no adapter', () => {
    expect(violations('notify', (i) => ['registry', 'app', ...ADAPTERS].includes(layerOf(i)) || /^(node:)?child_process$/.test(i))).toEqual([]);
  });

  it('app/ imports no adapter', () => {
    expect(violations('app', (i) => ADAPTERS.includes(layerOf(i)))).toEqual([]);
  });

  it('app/ never prints and never reads the command line', () => {
    const found: string[] = [];
    for (const file of filesUnder(path.join(SRC, 'app'))) {
      const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      for (const pattern of [/process\.(stdout|stderr)/, /console\./, /process\.argv/, /process\.exit/]) if (pattern.test(text)) found.push(`${rel(file)}: ${pattern.source}`);
    }
    expect(found).toEqual([]);
  });

  for (const adapter of ADAPTERS) {
    it(`${adapter}/ imports no other adapter`, () => {
      expect(violations(adapter, (i) => ADAPTERS.includes(layerOf(i)) && layerOf(i) !== adapter)).toEqual([]);
    });
  }

  it('notices a violation (the checks can fail)', () => {
    expect(importsOf(path.join(SRC, 'cli', 'commands', 'ui.ts')).some((i) => layerOf(i) === 'ui')).toBe(true);
  });
});
