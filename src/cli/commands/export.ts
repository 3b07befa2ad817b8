/** `tessera export <asset>[@version] --format F`: a published contract in another format, on stdout or in a file. */
import { writeFile } from 'node:fs/promises';
import { withRegistry } from '../context.js';
import { notice, printJson } from '../output.js';
import { requireAsset, requireVersion } from '../../registry/state.js';
import { assetDir, checkAssetId, checkVersion } from '../../core/paths.js';
import { ExitCode, InputError, TesseraError } from '../../core/errors.js';
import { exportContract, groupLost, odcsErrors, type ExportFormat } from '../../core/formats/index.js';
import { loadOdcsSchema } from '../contract-formats.js';

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const operand = String(args[0]);
  const at = operand.lastIndexOf('@');
  const asset = checkAssetId(at > 0 ? operand.slice(0, at) : operand);
  const wanted = at > 0 ? checkVersion(operand.slice(at + 1)) : undefined;
  const format = opts.format as ExportFormat;
  const out = await withRegistry(opts, async (ctx) => {
    const snap = await ctx.repo.snapshot(undefined, [assetDir(asset)]);
    const a = await requireAsset(snap, asset);
    const v = await requireVersion(snap, asset, wanted ?? a.current_version);
    const e = exportContract(format, a, v);
    return { ...e, lost: groupLost(e.lost), version: v.version };
  });
  if (format === 'odcs') {
    // A document Tessera writes must pass the standard's own schema; one that does not is our bug, never the user's.
    const problem = odcsErrors(out.value, loadOdcsSchema);
    if (problem) throw new TesseraError(`the ODCS document for ${asset}@${out.version} does not validate against ODCS v3.1.0: ${problem}`, ExitCode.Registry, 'please report this with the asset\'s version file');
  }
  for (const l of out.lost) notice(`tessera: not expressible in ${format}: ${l}`);
  if (opts.output !== undefined) {
    const file = String(opts.output);
    await writeFile(file, out.text).catch((err: NodeJS.ErrnoException) => {
      throw new InputError(`${file}: cannot be written (${err.code ?? err.message})`, 'check the -o path');
    });
  }
  if (opts.json) printJson({ asset, version: out.version, format, ...(opts.output !== undefined ? { file: String(opts.output) } : { document: out.value }), not_expressible: out.lost });
  else if (opts.output === undefined) process.stdout.write(out.text);
  return ExitCode.Ok;
}
