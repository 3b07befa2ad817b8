/** Avro contracts: input, the column view, and compatibility by Avro's own resolution rules. Pure. */
export { AVRO_FILE, isAvroDocument, looksLikeAvro } from './detect.js';
export { loadAvroValue, parseAvroValue, type AvroContract } from './load.js';
export { avroDirections, checkAvroCompatibility, judgeAvroPair } from './check.js';
export { AVRO_RULES, avroRuleById, isAvroAnnotation, type AvroRuleDefinition } from './catalog.js';
export { avroVerdictsOf } from './verdicts.js';
