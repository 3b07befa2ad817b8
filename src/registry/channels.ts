/**
 * Channels as the registry holds them. A channel file that does not parse
 * is reported, not thrown: `notify` skips that one channel and delivers to
 * the others (`verify` names it too).
 */
import { channelSchema, type ChannelFile } from '../core/model.js';
import { CHANNELS_DIR, channelPath } from '../core/paths.js';
import type { Snapshot } from './snapshot.js';

export interface ChannelRead {
  channels: ChannelFile[];
  /** One line per channel file that could not be read. */
  errors: string[];
}

export async function readChannel(snap: Snapshot, name: string): Promise<ChannelFile | undefined> {
  return snap.read(channelPath(name), channelSchema);
}

export async function readAllChannels(snap: Snapshot): Promise<ChannelRead> {
  const out: ChannelRead = { channels: [], errors: [] };
  for (const p of snap.list(CHANNELS_DIR).filter((f) => f.endsWith('.yaml'))) {
    try {
      const c = (await snap.read(p, channelSchema))!;
      if (channelPath(c.name) !== p) out.errors.push(`registry file ${p} names channel '${c.name}': the name must equal the file name`);
      else out.channels.push(c);
    } catch (e) {
      out.errors.push((e as Error).message);
    }
  }
  return out;
}
