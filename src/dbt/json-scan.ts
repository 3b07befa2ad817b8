/**
 * Byte-level walking of JSON text without building values: where a string,
 * a value or an object member ends. Every function returns the index just
 * past what it read, or -1 when the text is not JSON there (callers then fall
 * back to treating the bytes as opaque). Strings are skipped, not decoded.
 */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

export function skipSpace(b: Uint8Array, i: number): number {
  for (;;) {
    const c = b[i];
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
    else return i;
  }
}

/** b[i] must be the opening quote. */
export function skipString(b: Uint8Array, i: number): number {
  const n = b.length;
  for (i++; i < n; i++) {
    const c = b[i];
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) i++;
  }
  return -1;
}

/** Any value: a string, an object or array (to its matching bracket), or a literal/number (to the next delimiter). */
export function skipValue(b: Uint8Array, i: number): number {
  const n = b.length;
  const first = b[i];
  if (first === QUOTE) return skipString(b, i);
  if (first !== OPEN_OBJECT && first !== OPEN_ARRAY) {
    const start = i;
    for (; i < n; i++) {
      const c = b[i];
      if (c === COMMA || c === CLOSE_OBJECT || c === CLOSE_ARRAY || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) break;
    }
    return i > start ? i : -1;
  }
  let depth = 0;
  for (; i < n; i++) {
    const c = b[i];
    if (c === QUOTE) {
      for (i++; i < n; i++) {
        const d = b[i];
        if (d === QUOTE) break;
        if (d === BACKSLASH) i++;
      }
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
    else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (--depth === 0) return i + 1;
    }
  }
  return -1;
}

type Member = (keyStart: number, keyEnd: number, valueStart: number) => number;

/**
 * The members of the object opening at b[i]: `member(keyStart, keyEnd,
 * valueStart)` is called for each, with the key's quotes included in
 * [keyStart, keyEnd), and returns where the value ends (or -1).
 */
export function eachMember(b: Uint8Array, i: number, member: Member): number {
  if (b[i] !== OPEN_OBJECT) return -1;
  i = skipSpace(b, i + 1);
  return b[i] === CLOSE_OBJECT ? i + 1 : membersFrom(b, i, member);
}

/** The members after one already read: b[i] (after blanks) is the comma before the next one or the closing brace. */
export function eachFollowingMember(b: Uint8Array, i: number, member: Member): number {
  i = skipSpace(b, i);
  if (b[i] === CLOSE_OBJECT) return i + 1;
  return b[i] === COMMA ? membersFrom(b, skipSpace(b, i + 1), member) : -1;
}

/** Members from the key at b[i] to the closing brace. */
function membersFrom(b: Uint8Array, i: number, member: Member): number {
  for (;;) {
    if (b[i] !== QUOTE) return -1;
    const keyStart = i;
    const keyEnd = skipString(b, i);
    if (keyEnd < 0) return -1;
    i = skipSpace(b, keyEnd);
    if (b[i] !== COLON) return -1;
    const end = member(keyStart, keyEnd, skipSpace(b, i + 1));
    if (end < 0) return -1;
    i = skipSpace(b, end);
    if (b[i] === COMMA) i = skipSpace(b, i + 1);
    else if (b[i] === CLOSE_OBJECT) return i + 1;
    else return -1;
  }
}

/** Whether [start, end) holds a backslash (an escaped string: its bytes are not its text). */
export function hasBackslash(b: Uint8Array, start: number, end: number): boolean {
  for (let k = start; k < end; k++) if (b[k] === BACKSLASH) return true;
  return false;
}

/** Whether the bytes of [start, end) are those of `text` (ASCII). */
export function bytesEqual(b: Uint8Array, start: number, end: number, text: Uint8Array): boolean {
  if (end - start !== text.length) return false;
  for (let k = 0; k < text.length; k++) if (b[start + k] !== text[k]) return false;
  return true;
}
