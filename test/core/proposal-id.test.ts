/** Proposal ids from content (core/proposal.ts contentProposalId): stable, and never one the registry holds. */
import { describe, expect, it } from 'vitest';
import { contentProposalId, PROPOSAL_ID_PATTERN } from '../../src/core/proposal.js';

describe('contentProposalId', () => {
  it('is a function of asset, base version and contract digest, in the proposal id format', () => {
    const a = contentProposalId('shop.orders', '1.0.0', 'digest-a', new Set());
    expect(a).toMatch(PROPOSAL_ID_PATTERN);
    expect(contentProposalId('shop.orders', '1.0.0', 'digest-a', new Set())).toBe(a);
    const others = [contentProposalId('shop.orders', '1.1.0', 'digest-a', new Set()), contentProposalId('shop.orders', '1.0.0', 'digest-b', new Set()), contentProposalId('shop.customers', '1.0.0', 'digest-a', new Set())];
    for (const o of others) expect(o).not.toBe(a);
  });

  it('skips every taken id, so the same content proposed again after a withdrawal gets a new one', () => {
    const taken = new Set<string>();
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      const id = contentProposalId('shop.orders', '1.0.0', 'same', taken);
      expect(taken.has(id)).toBe(false);
      taken.add(id);
      ids.push(id);
    }
    expect(new Set(ids).size).toBe(50);
    // Deterministic for a given set of taken ids: the sequence repeats.
    const again = new Set<string>();
    for (const id of ids) {
      expect(contentProposalId('shop.orders', '1.0.0', 'same', again)).toBe(id);
      again.add(id);
    }
  });
});
