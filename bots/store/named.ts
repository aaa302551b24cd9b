/**
 * Named, typed query parameters, mapped to positional ones in this one place. A query is written
 * with `:name` placeholders and the type of its parameters; `bind` gives the `?` form and the
 * values in order (a name may occur more than once), so no call site keeps a positional array in
 * step with SQL text in another file. A PostgreSQL store then numbers the `?` (postgres-sql.ts).
 */
export interface Query<P extends object> {
  /** The SQL with `?` placeholders. */
  readonly sql: string;
  /** The parameter name of each placeholder, in order. */
  readonly names: readonly (keyof P & string)[];
  /** Only for type inference: never set. */
  readonly params?: P;
}

// `::text` (a PostgreSQL cast) is not a parameter; neither is a colon inside a quoted literal.
const PLACEHOLDER = /'[^']*'|(?<!:):([A-Za-z_]\w*)/g;

/** Defines a query with named parameters; `P` names them and their types. */
export function query<P extends object = Record<string, never>>(text: string): Query<P> {
  const names: string[] = [];
  const sql = text.replace(PLACEHOLDER, (whole, name: string | undefined) => {
    if (name === undefined) return whole;
    names.push(name);
    return '?';
  });
  return { sql, names: names as (keyof P & string)[] };
}

/** The positional form of a query with its parameters: SQL and values in placeholder order. */
export function bind<P extends object>(q: Query<P>, params: NoInfer<P>): [string, unknown[]] {
  const values = q.names.map((name) => {
    const value = (params as Record<string, unknown>)[name];
    if (value === undefined) throw new Error(`query parameter :${name} is missing`);
    return value;
  });
  return [q.sql, values];
}
