/**
 * API keys: making a secret and its hash, reading keys/<id>.yaml, and the
 * server's authentication. A secret is `tsk_<id>_<43 base64url characters>`
 * (32 random bytes); the registry keeps only scrypt(secret, salt). Nothing
 * here logs, returns or puts the secret into an error.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { keySchema, KEY_ID_PATTERN, type KeyFile } from '../core/model.js';
import { keyPath, KEYS_DIR } from '../core/paths.js';
import { keyEmail, keyStatus, type KeyPrincipal, type KeyRefusal } from '../core/keys.js';
import type { Identity } from './commit-writer.js';
import type { Snapshot } from './snapshot.js';

/** About 50 ms and 16 MB per hash on one core: slow for a guesser, once per key and process for the server (see verified). */
const SCRYPT = { N: 1 << 14, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SECRET = /^tsk_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

function derive(secret: string, salt: string, params: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, Buffer.from(salt, 'base64url'), KEY_BYTES, { ...params, maxmem: 256 * params.N * params.r + (1 << 20) }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** A new key's id, secret and the hash to store. */
export async function newSecret(): Promise<{ id: string; secret: string; hash: KeyFile['hash'] }> {
  const id = randomBytes(6).toString('hex');
  const secret = `tsk_${id}_${randomBytes(KEY_BYTES).toString('base64url')}`;
  const salt = randomBytes(16).toString('base64url');
  const key = await derive(secret, salt, SCRYPT);
  return { id, secret, hash: { algorithm: 'scrypt', salt, ...SCRYPT, key: key.toString('base64url') } };
}

export async function readKey(snap: Snapshot, id: string): Promise<KeyFile | undefined> {
  return snap.read(keyPath(id), keySchema);
}

export async function readAllKeys(snap: Snapshot): Promise<KeyFile[]> {
  return snap.readMany(snap.list(KEYS_DIR).filter((p) => p.endsWith('.yaml')), keySchema);
}

/**
 * How a key acts: a synthetic identity whose address names the key and its
 * team (core/keys.ts keyEmail); `key` makes the commit writer add the
 * `Tessera-Key` trailer.
 */
export function keyIdentity(p: KeyPrincipal): Identity {
  return { name: `${p.team} key ${p.name ?? p.keyId}`, email: keyEmail(p.keyId, p.team), key: p.keyId };
}

/**
 * Secrets already checked against a key file's content, so a long-lived
 * server pays scrypt once per key rather than per request. Held as a SHA-256
 * of the secret with the file's blob id: a changed file (revoked, re-hashed)
 * is a new entry. Bounded; the oldest entry goes first.
 */
const verified = new Set<string>();
const VERIFIED_MAX = 10_000;

function refusal(status: KeyRefusal['status'], code: KeyRefusal['code'], message: string, fix: string): KeyRefusal {
  return { status, code, message, fix };
}

const UNKNOWN = refusal(401, 'unknown_key', 'the API key is not valid', 'create a key with: tessera key create --team <team>, and send it as Authorization: Bearer <key>');

/** Check an `Authorization` header against the registry's keys. The refusal never contains the secret. */
export async function authenticate(snap: Snapshot, authorization: string | undefined, now: Date): Promise<KeyPrincipal | KeyRefusal> {
  if (authorization === undefined || authorization.trim() === '') {
    return refusal(401, 'no_key', 'no API key: the request has no Authorization header', 'send Authorization: Bearer <key> (make a key with: tessera key create --team <team>)');
  }
  const bearer = /^Bearer +(\S+) *$/i.exec(authorization);
  if (!bearer) return refusal(401, 'no_key', 'the Authorization header is not "Bearer <key>"', 'send Authorization: Bearer <key>, the secret that tessera key create printed');
  const m = SECRET.exec(bearer[1]!);
  if (!m || !KEY_ID_PATTERN.test(m[1]!)) return UNKNOWN;
  const id = m[1]!;
  const secret = bearer[1]!;
  let key: KeyFile | undefined;
  try {
    key = await readKey(snap, id);
  } catch {
    // An invalid key file is for `tessera verify` to report; here it is only not a valid key.
    return UNKNOWN;
  }
  const oid = snap.oid(keyPath(id));
  if (!key || key.id !== id || oid === undefined) return UNKNOWN;
  const memo = `${oid}:${createHash('sha256').update(secret).digest('base64url')}`;
  if (!verified.has(memo)) {
    const expected = Buffer.from(key.hash.key, 'base64url');
    const actual = await derive(secret, key.hash.salt, key.hash);
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return UNKNOWN;
    if (verified.size >= VERIFIED_MAX) verified.delete(verified.values().next().value!);
    verified.add(memo);
  }
  const status = keyStatus(key, now);
  if (status === 'revoked') return refusal(401, 'revoked_key', `API key ${id} was revoked at ${key.revoked_at}`, `ask team ${key.team} for a new key: tessera key create --team ${key.team}`);
  if (status === 'expired') return refusal(401, 'expired_key', `API key ${id} expired at ${key.expires_at}`, `ask team ${key.team} for a new key: tessera key create --team ${key.team}`);
  return { keyId: id, team: key.team, scope: key.scope, ...(key.name !== undefined ? { name: key.name } : {}) };
}
