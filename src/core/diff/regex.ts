/**
 * Inclusion between JSON Schema `pattern`s, decided with automata (refa,
 * the regex-to-automaton library behind eslint-plugin-regexp).
 *
 * A JSON Schema pattern is an ECMA-262 regex (ajv compiles it with the `u`
 * flag) that must match *somewhere* in the string: `abc` accepts "xabcx".
 * So the language of a pattern is Σ* P Σ*, except where a top-level
 * alternative is anchored with a leading `^` and/or a trailing `$`. Those
 * two anchors are the only assertions read: any other assertion (`\b`,
 * lookarounds, an anchor inside a group) and any backreference refa cannot
 * expand make the pair undecided, and the caller stays conservative.
 * Automata are capped in size, so a pathological pattern is undecided too,
 * never slow.
 */
import { CharSet, DFA, JS, NFA, visitAst, type Concatenation, type Element, type NoParent } from 'refa';

export type PatternRelation = 'equal' | 'wider' | 'narrower' | 'incomparable' | 'unknown';

/** Nodes per automaton; patterns of ordinary columns need a few dozen. */
const MAX_NODES = 20_000;

function languageOf(source: string): NFA | undefined {
  try {
    const parser = JS.Parser.fromLiteral({ source, flags: 'u' });
    // Assertions kept as opaque nodes: only the edge anchors are understood below.
    const { expression, maxCharacter } = parser.parse({ assertions: 'unknown', backreferences: 'unknown', maxBackreferenceWords: 20 });
    const anything: NoParent<Element> = {
      type: 'Quantifier',
      lazy: false,
      min: 0,
      max: Infinity,
      alternatives: [{ type: 'Concatenation', elements: [{ type: 'CharacterClass', characters: CharSet.all(maxCharacter) }] }],
    };
    const alternatives: NoParent<Concatenation>[] = [];
    for (const alt of expression.alternatives) {
      const elements = [...alt.elements] as NoParent<Element>[];
      const first = elements[0];
      const start = first?.type === 'Unknown' && first.id === '^';
      if (start) elements.shift();
      const last = elements[elements.length - 1];
      const end = last?.type === 'Unknown' && last.id === '$';
      if (end) elements.pop();
      alternatives.push({ type: 'Concatenation', elements: [...(start ? [] : [anything]), ...elements, ...(end ? [] : [anything])] });
    }
    let opaque = false;
    for (const alt of alternatives) {
      visitAst(alt as never, {
        onUnknownEnter: () => {
          opaque = true;
        },
        onAssertionEnter: () => {
          opaque = true;
        },
      });
    }
    if (opaque) return undefined;
    return NFA.fromRegex(alternatives, { maxCharacter }, {}, new NFA.LimitedNodeFactory(MAX_NODES));
  } catch {
    // Unparseable, too large, or a construct refa refuses: undecided.
    return undefined;
  }
}

/** Whether every string of `a` is a string of `b`; undefined when it cannot be decided within the limits. */
function includes(a: NFA, b: NFA): boolean | undefined {
  try {
    const notB = DFA.fromFA(b, new DFA.LimitedNodeFactory(MAX_NODES));
    notB.complement();
    const both = DFA.fromIntersection(a, notB, new DFA.LimitedNodeFactory(MAX_NODES));
    return both.isEmpty;
  } catch {
    return undefined;
  }
}

const cache = new Map<string, PatternRelation>();

/**
 * How the strings the new pattern accepts relate to the old one's:
 * `wider` means every string the old pattern accepted, the new one accepts too.
 */
export function comparePatterns(oldSource: string, newSource: string): PatternRelation {
  if (oldSource === newSource) return 'equal';
  const key = JSON.stringify([oldSource, newSource]);
  const hit = cache.get(key);
  if (hit) return hit;
  let rel: PatternRelation = 'unknown';
  const a = languageOf(oldSource);
  const b = a && languageOf(newSource);
  if (a && b) {
    const aInB = includes(a, b);
    const bInA = aInB === undefined ? undefined : includes(b, a);
    if (aInB !== undefined && bInA !== undefined) rel = aInB && bInA ? 'equal' : aInB ? 'wider' : bInA ? 'narrower' : 'incomparable';
  }
  // Bounded: a long-running process diffing many contracts must not grow without limit.
  if (cache.size > 1000) cache.clear();
  cache.set(key, rel);
  return rel;
}
