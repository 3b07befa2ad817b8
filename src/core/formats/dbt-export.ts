/**
 * A contract -> a dbt `models:` block for a model with an enforced contract
 * (dbt >= 1.8: `data_tests`). An enforced contract needs every column's
 * `data_type`: the physical type the contract carries (the ODCS original with
 * its parameters, else x-physical-type), else a generic SQL type for the JSON
 * type, reported as a guess. Required columns get a not_null constraint
 * (enforced by every warehouse); the primary key a primary_key constraint;
 * unique, not_null, accepted_values and relationships guarantees become data
 * tests. The rest is returned in `lost`.
 */
import type { Asset, Guarantee, Version } from '../model.js';
import { guaranteeKey } from '../guarantees.js';
import { PHYSICAL_TYPE_KEY } from '../diff/physical.js';
import { isObject } from '../schema/walk.js';
import { ODCS_KEY } from './odcs-import.js';
import { inlineRefs, propertiesOf, type Exported } from './common.js';

type Obj = Record<string, unknown>;

const GENERIC: Record<string, string> = { string: 'varchar', integer: 'bigint', number: 'double', boolean: 'boolean', object: 'json', array: 'json' };
const FORMAT_TYPES: Record<string, string> = { date: 'date', 'date-time': 'timestamp', time: 'time', uuid: 'uuid' };

function dataType(name: string, s: Obj, lost: string[]): string | undefined {
  const kept = isObject(s[ODCS_KEY]) ? (s[ODCS_KEY] as Obj) : {};
  if (typeof kept.physicalType === 'string') return kept.physicalType;
  if (typeof s[PHYSICAL_TYPE_KEY] === 'string') return s[PHYSICAL_TYPE_KEY] as string;
  const types = Array.isArray(s.type) ? s.type.filter((t) => t !== 'null') : [s.type];
  const json = types.length === 1 && typeof types[0] === 'string' ? types[0] : undefined;
  const guess = (typeof s.format === 'string' ? FORMAT_TYPES[s.format] : undefined) ?? (json ? GENERIC[json] : undefined);
  lost.push(guess ? `column ${name}: no physical type; data_type ${guess} is a guess from the JSON type (check it for your warehouse)` : `column ${name}: no type; dbt's enforced contract needs a data_type (write one)`);
  return guess;
}

const withSeverity = (g: Guarantee, test: Obj | string): Obj | string => {
  if (g.severity !== 'warn') return test;
  if (typeof test === 'string') return { [test]: { config: { severity: 'warn' } } };
  const [[name, args]] = Object.entries(test) as [[string, Obj]];
  return { [name]: { ...args, config: { severity: 'warn' } } };
};

/** A column-level guarantee as a dbt data test, or undefined when dbt has no generic test for it. */
function testOf(g: Guarantee): Obj | string | undefined {
  if (g.kind === 'not_null' || g.kind === 'unique') return withSeverity(g, g.kind);
  if (g.kind === 'accepted_values' && g.values) return withSeverity(g, { accepted_values: { values: g.values } });
  if (g.kind === 'relationships' && g.to && g.field) return withSeverity(g, { relationships: { to: `ref('${g.to}')`, field: g.field } });
  return undefined;
}

export function exportDbt(asset: Asset, version: Version): Exported<Obj> {
  const schema = inlineRefs(isObject(version.schema) ? version.schema : {});
  const lost: string[] = [];
  const used = new Set<Guarantee>();
  const pk = version.guarantees.find((g) => g.kind === 'primary_key');
  const pkColumns = pk ? (pk.column !== undefined ? [pk.column] : (pk.columns ?? [])) : [];
  if (pk) used.add(pk);
  const columns = propertiesOf(schema).map(([name, p, required]) => {
    const col: Obj = { name };
    if (typeof p.description === 'string') col.description = p.description;
    const type = dataType(name, p, lost);
    if (type !== undefined) col.data_type = type;
    const constraints: Obj[] = [];
    if (required) constraints.push({ type: 'not_null' });
    if (pkColumns.length === 1 && pkColumns[0] === name) constraints.push({ type: 'primary_key' });
    if (constraints.length > 0) col.constraints = constraints;
    const tests: Array<Obj | string> = [];
    for (const g of version.guarantees) {
      if (g.column !== name || used.has(g)) continue;
      // A required column's not_null is the constraint above.
      if (g.kind === 'not_null' && required) {
        used.add(g);
        continue;
      }
      const t = testOf(g);
      if (t !== undefined) {
        tests.push(t);
        used.add(g);
      }
    }
    if (tests.length > 0) col.data_tests = tests;
    if (isObject(p.properties) || isObject(p.items)) lost.push(`column ${name}: its nested properties (dbt columns are flat; the column is typed as a whole)`);
    return col;
  });
  const model: Obj = { name: asset.id.slice(asset.id.lastIndexOf('.') + 1) };
  const description = typeof schema.description === 'string' ? schema.description : asset.description;
  if (description !== undefined) model.description = description;
  model.config = { contract: { enforced: true } };
  if (pkColumns.length > 1) model.constraints = [{ type: 'primary_key', columns: pkColumns }];
  model.columns = columns;
  for (const g of version.guarantees) if (!used.has(g)) lost.push(`guarantee ${guaranteeKey(g)} (no dbt generic test for it here)`);
  return { value: { version: 2, models: [model] }, lost };
}
