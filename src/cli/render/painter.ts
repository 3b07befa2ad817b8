/** The colours renderers use. A ChalkInstance fits; tests and files pass PLAIN. */
export interface Painter {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
  cyan(s: string): string;
}

const id = (s: string) => s;
export const PLAIN: Painter = { red: id, green: id, yellow: id, dim: id, bold: id, cyan: id };
