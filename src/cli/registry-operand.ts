/**
 * `asset@1.2.0` operands of `tessera diff`: a published version read from
 * the registry. The registry is opened only when such an operand appears,
 * and never created for it.
 */
import { existsSync } from 'node:fs';
import { locateRegistry } from '../registry/locate.js';
import { Repository } from '../registry/repository.js';
import { requireVersion } from '../registry/state.js';
import { assetDir, checkAssetId, checkVersion } from '../core/paths.js';
import { InputError } from '../core/errors.js';
import { validateSchemaValue } from '../core/schema/index.js';
import { loadAvroOperand, type LoadedOperand, type RegistryOperandResolver } from './schema-operand.js';

export function registryResolver(opts: Record<string, unknown>): { resolve: RegistryOperandResolver; close: () => void } {
  let repo: Promise<Repository> | undefined;
  const open = () => {
    const location = locateRegistry(opts.registry as string | undefined);
    if (location.kind === 'path' && !existsSync(location.path)) {
      throw new InputError(`no registry at ${location.path} to read versions from`, 'pass --registry, set TESSERA_REGISTRY, or diff two files');
    }
    return Repository.open(location);
  };
  return {
    resolve: async (asset: string, version: string): Promise<LoadedOperand> => {
      checkAssetId(asset);
      checkVersion(version);
      repo ??= open();
      const r = await repo;
      const snap = await r.snapshot(undefined, [assetDir(asset)]);
      const v = await requireVersion(snap, asset, version);
      // An Avro version is compared as Avro: its stored schema, not the column view.
      if (v.format === 'avro') return loadAvroOperand({ format: 'avro', avro: v.avro, compatibility_mode: v.compatibility_mode, content_model: v.content_model, guarantees: v.guarantees }, `${asset}@${version}`);
      return validateSchemaValue({ schema: v.schema, compatibility_mode: v.compatibility_mode, content_model: v.content_model, guarantees: v.guarantees }, `${asset}@${version}`);
    },
    close: () => {
      void repo?.then((r) => r.close()).catch(() => undefined);
    },
  };
}
