/**
 * Column lineage for scoped acknowledgments (docs/scoped-acks.md, "dbt"):
 * which columns of an upstream model a downstream model's SQL reads, with
 * node-sql-parser. Any doubt gives `all`: SQL it cannot parse, Jinja other
 * than ref()/source()/config(), `select *` (or `t.*`) on the upstream, an
 * unqualified column where the upstream is one of several tables. Pure.
 */
import { createRequire } from 'node:module';

export type Lineage = { columns: string[] } | { all: true; reason: string };

/** The upstream model as the downstream SQL names it: its dbt name (raw_code's ref) and its relation identifier (compiled_code). */
export interface UpstreamRef {
  name: string;
  /** The relation's identifier (alias, else name) as compiled SQL names it. */
  identifier: string;
}

interface SqlParser {
  astify(sql: string, opt?: { database?: string }): unknown;
}
// One dialect's build (node-sql-parser/build/<dialect>) loads in ~20 ms; the package's main entry loads all of them (~120 ms).
const load = createRequire(import.meta.url);
const parsers = new Map<string, SqlParser>();
function parserFor(dialect: string): SqlParser {
  let p = parsers.get(dialect);
  if (!p) {
    const { Parser } = load(`node-sql-parser/build/${dialect}`) as { Parser: new () => SqlParser };
    parsers.set(dialect, (p = new Parser()));
  }
  return p;
}

/** dbt adapter -> node-sql-parser dialect; unknown adapters are read as PostgreSQL, which most warehouses' SELECTs parse as. */
const DIALECTS: Record<string, string> = {
  postgres: 'postgresql',
  duckdb: 'postgresql',
  redshift: 'redshift',
  snowflake: 'snowflake',
  bigquery: 'bigquery',
  mysql: 'mysql',
  mariadb: 'mariadb',
  sqlite: 'sqlite',
  databricks: 'hive',
  spark: 'hive',
  trino: 'trino',
  sqlserver: 'transactsql',
};

const REF_PREFIX = '__tessera_ref__';

/**
 * raw_code with its ref()s and source()s replaced by plain table names and
 * config() blocks and comments dropped; undefined when other Jinja remains
 * (a macro, a loop, a variable), which no parser can read as SQL.
 */
export function renderRefs(raw: string): string | undefined {
  let sql = raw.replace(/\{#[\s\S]*?#\}/g, ' ');
  sql = sql.replace(/\{\{\s*config\s*\([\s\S]*?\)\s*\}\}/g, ' ');
  sql = sql.replace(/\{\{\s*ref\s*\(\s*(?:['"][^'"]+['"]\s*,\s*)?['"]([^'"]+)['"]\s*(?:,\s*v(?:ersion)?\s*=\s*[^)]*)?\)\s*\}\}/g, (_m, name: string) => `${REF_PREFIX}${name.replace(/\W/g, '_')}`);
  sql = sql.replace(/\{\{\s*source\s*\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)\s*\}\}/g, (_m, s: string, t: string) => `__tessera_source__${s.replace(/\W/g, '_')}__${t.replace(/\W/g, '_')}`);
  if (/\{\{|\{%|\{#/.test(sql)) return undefined;
  return sql;
}

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

function nameOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (isNode(v)) {
    if (typeof v.value === 'string') return v.value;
    if (isNode(v.expr) && typeof v.expr.value === 'string') return v.expr.value;
  }
  return undefined;
}

function selectsOf(ast: unknown): Node[] {
  const list = Array.isArray(ast) ? ast : [ast];
  return list.filter(isNode);
}

class Unreliable extends Error {}

/** A model's SQL, parsed once for all of its upstreams; or why it cannot be followed. */
export type ParsedSql = { ast: unknown; compiled: boolean } | { all: true; reason: string };

/**
 * Parse a model's SQL. `compiled`: the SQL is dbt's compiled_code (relations
 * by identifier) rather than raw_code, whose ref() and source() are rendered
 * to placeholders first.
 */
export function parseModelSql(sql: string, options: { compiled: boolean; adapter?: string | undefined }): ParsedSql {
  const text = options.compiled ? sql : renderRefs(sql);
  if (text === undefined) return { all: true, reason: 'has Jinja other than ref(), source() and config() in its SQL' };
  const dialect = DIALECTS[options.adapter ?? ''] ?? 'postgresql';
  try {
    return { ast: parserFor(dialect).astify(text, { database: dialect }), compiled: options.compiled };
  } catch {
    return { all: true, reason: 'has SQL the parser cannot read' };
  }
}

/** The columns a parsed model reads from one upstream. */
export function columnsRead(parsed: ParsedSql, upstream: UpstreamRef): Lineage {
  if ('all' in parsed) return parsed;
  const target = (parsed.compiled ? upstream.identifier : `${REF_PREFIX}${upstream.name.replace(/\W/g, '_')}`).toLowerCase();
  const columns = new Set<string>();
  try {
    const statements = selectsOf(parsed.ast);
    if (statements.length !== 1 || statements[0]!.type !== 'select') throw new Unreliable('is not one SELECT');
    walkSelect(statements[0]!, new Set(), target, columns);
  } catch (e) {
    if (e instanceof Unreliable) return { all: true, reason: e.message };
    return { all: true, reason: 'has SQL the lineage does not follow' };
  }
  return { columns: [...columns].sort() };
}

/** The columns `sql` reads from the upstream (parse and read in one step). */
export function upstreamColumns(sql: string, upstream: UpstreamRef, options: { compiled: boolean; adapter?: string | undefined }): Lineage {
  return columnsRead(parseModelSql(sql, options), upstream);
}

/**
 * One SELECT (with its CTEs, set operations and subqueries). `through`: CTE
 * names that pass the upstream through unchanged (`select * from upstream`),
 * so reading them reads the upstream.
 */
function walkSelect(select: Node, outer: ReadonlySet<string>, target: string, out: Set<string>): void {
  const through = new Set(outer);
  for (const cte of Array.isArray(select.with) ? select.with : []) {
    if (!isNode(cte)) continue;
    const body = isNode(cte.stmt) ? (isNode(cte.stmt.ast) ? cte.stmt.ast : cte.stmt) : undefined;
    const name = nameOf(cte.name)?.toLowerCase();
    if (!body || !name) throw new Unreliable('has a CTE the lineage cannot read');
    if (isPassThrough(body, through, target)) {
      through.add(name);
      // Its WHERE (or other clauses) may still read upstream columns.
      collect(body, through, target, out, true);
      continue;
    }
    walkSelect(body, through, target, out);
  }
  for (let s: Node | undefined = select; s; s = isNode(s._next) ? s._next : undefined) collect(s, through, target, out, false);
}

/** The table name a FROM item names, lower-cased, or undefined for a subquery. */
function tableOf(item: Node): string | undefined {
  return typeof item.table === 'string' ? item.table.toLowerCase() : undefined;
}

function readsUpstream(table: string | undefined, through: ReadonlySet<string>, target: string): boolean {
  return table !== undefined && (table === target || through.has(table));
}

/** `select * from <upstream>` with one FROM item and nothing else in its select list. */
function isPassThrough(select: Node, through: ReadonlySet<string>, target: string): boolean {
  if (select.type !== 'select' || select._next || (Array.isArray(select.with) && select.with.length > 0)) return false;
  const from = Array.isArray(select.from) ? select.from.filter(isNode) : [];
  if (from.length !== 1 || !readsUpstream(tableOf(from[0]!), through, target)) return false;
  const cols = select.columns;
  if (cols === '*') return true;
  return Array.isArray(cols) && cols.length === 1 && isStar(cols[0]);
}

function isStar(col: unknown): boolean {
  if (!isNode(col)) return false;
  const expr = isNode(col.expr) ? col.expr : col;
  return expr.type === 'column_ref' && nameOf(expr.column) === '*';
}

/**
 * The upstream columns one SELECT reads: column references qualified by the
 * upstream's name or alias, or unqualified when the upstream is its only
 * table; `*` on it reads everything. Subqueries are walked as SELECTs of
 * their own. `passThrough`: the select is a pass-through CTE, whose `*` is
 * followed rather than counted.
 */
function collect(select: Node, through: ReadonlySet<string>, target: string, out: Set<string>, passThrough: boolean): void {
  const from = Array.isArray(select.from) ? select.from.filter(isNode) : [];
  const names = new Set<string>();
  let tables = 0;
  for (const item of from) {
    const sub = isNode(item.expr) && isNode(item.expr.ast) ? item.expr.ast : undefined;
    if (sub) {
      walkSelect(sub, through, target, out);
      tables++;
      continue;
    }
    tables++;
    const table = tableOf(item);
    if (!readsUpstream(table, through, target)) continue;
    names.add(table!);
    if (typeof item.as === 'string') names.add(item.as.toLowerCase());
  }
  // A USING column is read from both sides of its join.
  if (names.size > 0) {
    for (const item of from) {
      for (const u of Array.isArray(item.using) ? item.using : []) {
        const n = nameOf(u);
        if (n) out.add(n.toLowerCase());
      }
    }
  }
  if (names.size === 0) {
    // Not reading the upstream here; subqueries elsewhere in it may.
    visit(select, (n) => {
      const sub = subquery(n);
      if (!sub) return true;
      walkSelect(sub, through, target, out);
      return false;
    });
    return;
  }
  const only = tables === 1;
  if (select.columns === '*' && !passThrough) throw new Unreliable('selects * from the upstream model');
  visit(select, (n) => {
    const sub = subquery(n);
    if (sub) {
      walkSelect(sub, through, target, out);
      return false;
    }
    if (n.type !== 'column_ref') return true;
    const column = nameOf(n.column);
    const qualifier = typeof n.table === 'string' ? n.table.toLowerCase() : undefined;
    if (!column) throw new Unreliable('has a column reference the lineage cannot read');
    if (column === '*') {
      if (passThrough) return false;
      if (qualifier === undefined || names.has(qualifier)) throw new Unreliable('selects * from the upstream model');
      return false;
    }
    if (qualifier !== undefined) {
      if (names.has(qualifier)) out.add(column.toLowerCase());
      return false;
    }
    if (isAlias(select, column)) return false;
    if (only) out.add(column.toLowerCase());
    else throw new Unreliable(`reads column ${column} unqualified beside other tables`);
    return false;
  });
}

/** A name the select list defines (`count(*) as n` ... `order by n`): not a column of any table. */
function isAlias(select: Node, name: string): boolean {
  return Array.isArray(select.columns) && select.columns.some((c) => isNode(c) && typeof c.as === 'string' && c.as.toLowerCase() === name.toLowerCase());
}

function subquery(n: Node): Node | undefined {
  if (isNode(n.ast) && n.ast.type === 'select') return n.ast;
  return undefined;
}

/** Depth-first over a select's own expressions (not its `with`, `_next` or FROM tables); `fn` returning false stops descent. */
function visit(select: Node, fn: (n: Node) => boolean | void): void {
  const skip = new Set(['with', '_next', 'from']);
  const fromExprs = (Array.isArray(select.from) ? select.from.filter(isNode) : []).flatMap((f) => [f.on]);
  const stack: unknown[] = [...Object.entries(select).filter(([k]) => !skip.has(k)).map(([, v]) => v), ...fromExprs];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      stack.push(...v);
      continue;
    }
    if (!isNode(v)) continue;
    if (fn(v) === false) continue;
    for (const [k, child] of Object.entries(v)) if (k !== 'parentheses') stack.push(child);
  }
}
