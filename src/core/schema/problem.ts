import { InputError } from '../errors.js';

/** Every schema input error reads `<source>: <problem>` and carries the fix as its hint. */
export function schemaInputError(source: string, problem: string, hint: string): InputError {
  return new InputError(`${source}: ${oneLine(problem)}`, oneLine(hint));
}

/** Error text from parsers may span lines; the CLI promises exactly one. */
export function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** Quote a user value for a message without letting it run on for a screen. */
export function quote(value: string, max = 80): string {
  const s = value.length > max ? value.slice(0, max - 1) + '…' : value;
  return JSON.stringify(s);
}
