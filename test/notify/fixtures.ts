/** One NotificationEvent per notified type, shaped as N1's engine builds them (docs/notifications.md, "Payloads"). */
import type { Channel, NotificationEvent } from '../../src/core/notify/types.js';

const base = { actor: 'Alice <alice@example.com>', at: '2026-12-06T21:00:00.000Z', commit: 'a'.repeat(40), asset: 'analytics.users', owner: 'core' };
const changes = [
  { rule: 'column.removed', path: '/properties/email', message: 'column email was removed', breaking: true },
  { rule: 'column.added', path: '/properties/country', message: 'column country was added', breaking: false },
];

export const EVENTS: Record<string, NotificationEvent> = {
  'proposal.created': { ...base, id: 'evt_0123456789abcdef01234567', type: 'proposal.created', version: '2.0.0', from_version: '1.0.0', proposal: 'p-3f9a2c1d', audience: ['growth', 'finance', 'core'], data: { changes, required_teams: ['growth', 'finance'], pending: ['growth', 'finance'], expires_at: '2026-12-20T21:00:00.000Z', ui_url: 'http://tessera.example/proposals/p-3f9a2c1d' } },
  'proposal.superseded': { ...base, id: 'evt_1123456789abcdef01234567', type: 'proposal.superseded', version: '2.1.0', from_version: '1.0.0', proposal: 'p-4f9a2c1d', audience: ['growth', 'core'], data: { changes, required_teams: ['growth'], pending: ['growth'], expires_at: '2026-12-20T21:00:00.000Z', superseded: 'p-3f9a2c1d' } },
  'proposal.acked': { ...base, id: 'evt_2123456789abcdef01234567', type: 'proposal.acked', version: '2.0.0', from_version: '1.0.0', proposal: 'p-3f9a2c1d', team: 'growth', audience: ['core'], data: { decision: 'approve', required_teams: ['growth', 'finance'], pending: ['finance'] } },
  'proposal.blocked': { ...base, id: 'evt_3123456789abcdef01234567', type: 'proposal.blocked', version: '2.0.0', proposal: 'p-3f9a2c1d', team: 'finance', audience: ['core'], data: { decision: 'block', note: 'churn model reads email', required_teams: ['growth', 'finance'], pending: ['finance'] } },
  'proposal.migrating': { ...base, id: 'evt_4123456789abcdef01234567', type: 'proposal.migrating', version: '2.0.0', proposal: 'p-3f9a2c1d', team: 'finance', audience: ['core'], data: { decision: 'migrating', required_teams: ['growth', 'finance'], pending: [] } },
  'proposal.merged': { ...base, id: 'evt_5123456789abcdef01234567', type: 'proposal.merged', version: '2.0.0', from_version: '1.0.0', proposal: 'p-3f9a2c1d', audience: ['growth', 'finance', 'core'], data: { required_teams: ['growth', 'finance'], pending: [] } },
  'proposal.withdrawn': { ...base, id: 'evt_6123456789abcdef01234567', type: 'proposal.withdrawn', version: '2.0.0', proposal: 'p-3f9a2c1d', audience: ['growth', 'finance', 'core'], data: { required_teams: ['growth', 'finance'], reason: 'we keep email after all' } },
  'proposal.expired': { ...base, id: 'evt_7123456789abcdef01234567', type: 'proposal.expired', version: '2.0.0', proposal: 'p-3f9a2c1d', audience: ['growth', 'finance', 'core'], data: { required_teams: ['growth', 'finance'], pending: ['finance'], expires_at: '2026-12-20T21:00:00.000Z' } },
  'contract.forced': { ...base, id: 'evt_8123456789abcdef01234567', type: 'contract.forced', version: '2.0.0', from_version: '1.0.0', audience: ['growth', 'finance', 'core'], data: { changes, required_teams: ['growth', 'finance'], pending: ['finance'], reason: 'GDPR deletion, legal deadline' } },
  'contract.published': { ...base, id: 'evt_9123456789abcdef01234567', type: 'contract.published', version: '1.1.0', from_version: '1.0.0', audience: ['growth', 'finance'], data: { changes: [changes[1]] } },
  'quality.failed': { ...base, id: 'evt_a123456789abcdef01234567', type: 'quality.failed', version: '1.0.0', audience: ['growth', 'finance', 'core'], data: { failures: [{ test: 'not_null_users_email', column: 'email', message: 'got 3 results, configured to fail if != 0' }] } },
};

export function channel(type: Channel['type'], over: Partial<Channel> = {}): Channel {
  return { name: `${type}-growth`, type, teams: ['growth'], created_at: '2026-12-01T00:00:00.000Z', created_by: 'Alice <alice@example.com>', ...over };
}

/** A valid Standard Webhooks secret (32 bytes). */
export const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
