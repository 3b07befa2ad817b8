/**
 * The channels a reminder is sent through: channels/<name>.yaml on main.
 * Kept to this one function so the lead can swap it for the channel schema
 * of core/model.ts when the engine (`tessera channel add`) is merged; the
 * zod schema mirrors the Channel interface of core/notify/types.ts.
 */
import { z } from 'zod';
import type { Channel } from '../core/notify/types.js';
import type { Snapshot } from './snapshot.js';

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/);
const channelSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
  type: z.enum(['webhook', 'slack', 'email']),
  teams: z.array(z.string().min(1)).min(1),
  url_env: envName.optional(),
  secret_env: envName.optional(),
  to: z.array(z.string().min(3)).optional(),
  created_at: z.string(),
  created_by: z.string(),
}) satisfies z.ZodType<Channel>;

/** Every channel file, validated (an invalid one is an error naming the file). */
export async function readChannels(snap: Snapshot): Promise<Channel[]> {
  return snap.readMany(snap.list('channels').filter((p) => /^channels\/[^/]+\.yaml$/.test(p)), channelSchema);
}
