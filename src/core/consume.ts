/** Planning consumer registrations: pure. Registrations belong to the asset and carry over every version. */
import { encodeYaml } from './codec.js';
import { InputError } from './errors.js';
import { assertMember } from './membership.js';
import { consumerSchema, type Asset, type Consumer, type RegistryConfig, type Team } from './model.js';
import { consumerPath } from './paths.js';
import type { FileWrite } from './plan-types.js';

export type ConsumeDecision = { action: 'registered' | 'updated' | 'unchanged'; consumer: Consumer; files: FileWrite[] };

export function planConsume(
  asset: Asset,
  team: Team,
  existing: Consumer | undefined,
  input: { purpose?: string; fields?: string[] },
  ctx: { config: RegistryConfig; actor: string; now: string },
): ConsumeDecision {
  assertMember(ctx.config, team, ctx.actor, `register it as a consumer of '${asset.id}'`);
  const path = consumerPath(asset.id, team.name);
  if (existing) {
    const next: Consumer = { ...existing };
    if (input.purpose !== undefined) next.purpose = input.purpose;
    if (input.fields !== undefined) next.fields = input.fields;
    if (JSON.stringify(next) === JSON.stringify(existing)) return { action: 'unchanged', consumer: existing, files: [] };
    return { action: 'updated', consumer: next, files: [{ path, content: encodeYaml(path, consumerSchema, next) }] };
  }
  const consumer: Consumer = { team: team.name, asset: asset.id, registered_by: ctx.actor, registered_at: ctx.now, acks: [] };
  if (input.purpose !== undefined) consumer.purpose = input.purpose;
  if (input.fields !== undefined) consumer.fields = input.fields;
  return { action: 'registered', consumer, files: [{ path, content: encodeYaml(path, consumerSchema, consumer) }] };
}

export function planUnconsume(asset: Asset, team: Team, existing: Consumer | undefined, ctx: { config: RegistryConfig; actor: string }): { files: FileWrite[] } {
  if (!existing) throw new InputError(`team '${team.name}' is not a consumer of '${asset.id}'`, `see: tessera show ${asset.id}`);
  assertMember(ctx.config, team, ctx.actor, `unregister it from '${asset.id}'`);
  return { files: [{ path: consumerPath(asset.id, team.name), content: null }] };
}

export function parseFieldList(s: string | undefined): string[] | undefined {
  if (s === undefined) return undefined;
  const fields = s.split(',').map((f) => f.trim()).filter(Boolean);
  return fields.length > 0 ? fields : undefined;
}
