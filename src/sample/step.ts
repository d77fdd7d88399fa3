// What a generation step is: a named piece of SQL work that fills one table (or a staging table).

/** The little a step needs from a database connection. */
export interface Sql {
  exec(sql: string): Promise<void>;
  /** The first column of the first row, as a number (integers only, so results are exact). */
  integer(sql: string): Promise<number>;
}

/** Sizes and the seed, fixed before any step runs. */
export interface Params {
  seed: number;
  /** Work orders to generate. */
  rows: number;
  customers: number;
  technicians: number;
  /** Average assets per customer. */
  assetsPerCustomer: number;
  /** Tickets to aim for. */
  tickets: number;
}

export interface Step {
  /** The final table this step fills, or null for staging work. */
  table: string | null;
  label: string;
  run(sql: Sql, p: Params): Promise<void>;
}

export function paramsFor(rows: number, seed: number): Params {
  const r = Math.max(100, Math.round(rows));
  const customers = Math.max(50, Math.round(r / 20));
  return {
    seed,
    rows: r,
    customers,
    technicians: Math.max(20, Math.round(r / 400)),
    assetsPerCustomer: r / 4 / customers,
    tickets: Math.round(r * 0.8),
  };
}
