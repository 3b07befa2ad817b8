/**
 * V8's JSON.parse messages do not always carry a position ("Unexpected
 * token '}', ... is not valid JSON"), yet users need line and column. When
 * JSON.parse has failed, this small scanner walks the text again and
 * reports the first offending offset. It never runs on valid input.
 */

type Expect = 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'colon' | 'commaOrClose' | 'end';

export interface JsonSyntaxProblem {
  offset: number;
  problem: string;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

function show(c: string): string {
  return c === "'" ? `"'"` : `'${c}'`;
}

export function locateJsonError(text: string): JsonSyntaxProblem | undefined {
  const stack: Array<'{' | '['> = [];
  let expect = 'value' as Expect;
  let i = 0;
  const n = text.length;

  const afterValue = () => {
    expect = stack.length > 0 ? 'commaOrClose' : 'end';
  };

  while (true) {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
    if (i >= n) {
      if (expect === 'end') return undefined;
      const open = stack[stack.length - 1];
      return { offset: i, problem: open ? `unexpected end of input (unclosed ${show(open)})` : 'unexpected end of input (empty document?)' };
    }
    const c = text[i] as string;
    switch (expect) {
      case 'value':
      case 'valueOrClose': {
        if (c === ']' && expect === 'valueOrClose') {
          stack.pop();
          i++;
          afterValue();
        } else if (c === '{') {
          stack.push('{');
          i++;
          expect = 'keyOrClose';
        } else if (c === '[') {
          stack.push('[');
          i++;
          expect = 'valueOrClose';
        } else if (c === '"') {
          const bad = scanString(text, i);
          if (typeof bad !== 'number') return bad;
          i = bad;
          afterValue();
        } else if (c === '-' || (c >= '0' && c <= '9')) {
          NUMBER.lastIndex = i;
          const m = NUMBER.exec(text);
          if (!m || m[0].length === 0 || m[0] === '-') return { offset: i, problem: 'invalid number' };
          i += m[0].length;
          afterValue();
        } else if (text.startsWith('true', i) || text.startsWith('null', i)) {
          i += 4;
          afterValue();
        } else if (text.startsWith('false', i)) {
          i += 5;
          afterValue();
        } else if ((c === ']' || c === '}') && stack.length > 0) {
          return { offset: i, problem: `trailing comma before ${show(c)}` };
        } else {
          return { offset: i, problem: `unexpected ${show(c)}, expected a value${c === "'" ? ' (JSON strings use double quotes)' : ''}` };
        }
        break;
      }
      case 'key':
      case 'keyOrClose': {
        if (c === '"') {
          const bad = scanString(text, i);
          if (typeof bad !== 'number') return bad;
          i = bad;
          expect = 'colon';
        } else if (c === '}' && expect === 'keyOrClose') {
          stack.pop();
          i++;
          afterValue();
        } else if (c === '}') {
          return { offset: i, problem: `trailing comma before '}'` };
        } else {
          return { offset: i, problem: `unexpected ${show(c)}, expected a double-quoted property name` };
        }
        break;
      }
      case 'colon':
        if (c !== ':') return { offset: i, problem: `unexpected ${show(c)}, expected ':' after the property name` };
        i++;
        expect = 'value';
        break;
      case 'commaOrClose': {
        const open = stack[stack.length - 1];
        const close = open === '{' ? '}' : ']';
        if (c === ',') {
          i++;
          expect = open === '{' ? 'key' : 'value';
        } else if (c === close) {
          stack.pop();
          i++;
          afterValue();
        } else {
          return { offset: i, problem: `unexpected ${show(c)}, expected ',' or ${show(close)}` };
        }
        break;
      }
      case 'end':
        return { offset: i, problem: `unexpected ${show(c)} after the end of the JSON value` };
    }
  }
}

/** Returns the offset just past the closing quote, or the problem. */
function scanString(text: string, start: number): number | JsonSyntaxProblem {
  let i = start + 1;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 0x22) return i + 1;
    if (code === 0x5c) {
      const e = text[i + 1];
      if (e === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return { offset: i, problem: 'invalid \\u escape in string' };
        i += 6;
      } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
        i += 2;
      } else {
        return { offset: i, problem: 'invalid escape in string' };
      }
      continue;
    }
    if (code < 0x20) return { offset: i, problem: code === 10 ? 'unterminated string (line break inside a string)' : 'control character inside a string' };
    i++;
  }
  return { offset: start, problem: 'unterminated string' };
}
