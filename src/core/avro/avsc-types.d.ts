/**
 * avsc's type system without its file and RPC layers (lib/index.js also
 * loads `fs`): src/core stays pure. The shapes are avsc's own declarations.
 */
declare module 'avsc/lib/types.js' {
  import type { Type } from 'avsc';
  const types: { Type: typeof Type };
  export default types;
}
