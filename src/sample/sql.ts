// Small SQL builders shared by the generator's steps. They only write SQL text; nothing here
// touches a database.

/** First day of the history and the first day after it (the history is [HISTORY_START, HISTORY_END)). */
export const HISTORY_START = "DATE '2022-01-01'";
export const HISTORY_END = "DATE '2026-01-01'";
export const HISTORY_START_TS = "TIMESTAMP '2022-01-01 00:00:00'";
export const HISTORY_END_TS = "TIMESTAMP '2026-01-01 00:00:00'";
export const HISTORY_DAYS = 1461;
export const HISTORY_MONTHS = 48;

export const REGIONS = ['north', 'south', 'east', 'west', 'central'] as const;

/** `CASE` picking a label by cumulative weight; `u` must name a uniform [0, 1) column. */
export function choose(u: string, weights: Record<string, number>): string {
  const entries = Object.entries(weights);
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let cumulative = 0;
  const arms = entries.slice(0, -1).map(([label, w]) => {
    cumulative += w / total;
    return `WHEN ${u} < ${cumulative.toFixed(6)} THEN '${label}'`;
  });
  return `CASE ${arms.join(' ')} ELSE '${entries[entries.length - 1][0]}' END`;
}

/** `CASE` mapping the values of a column to numbers. */
export function lookup(column: string, values: Record<string, number>, otherwise = 1): string {
  const arms = Object.entries(values).map(([k, v]) => `WHEN ${/^-?\d+$/.test(k) ? k : `'${k}'`} THEN ${v}`);
  return `(CASE ${column} ${arms.join(' ')} ELSE ${otherwise} END)`;
}

/** A list literal of quoted strings, 1-based when read with list_extract. */
export function stringList(items: readonly string[]): string {
  return `[${items.map((s) => `'${s.replace(/'/g, "''")}'`).join(', ')}]`;
}

/** A label from a list, chosen by the uniform column `u`. */
export function pickFrom(u: string, items: readonly string[]): string {
  return `list_extract(${stringList(items)}, 1 + CAST(floor(${u} * ${items.length}) AS INTEGER))`;
}

/**
 * `source` (a CTE or table) with a BIGINT column `id` in front of its own: the rows numbered 1..n in
 * the order of `day, rest`, where `day` is the first sort key as a date. The numbers are those of
 * `row_number() OVER (ORDER BY <first key>, rest)`, computed as the count of the rows of earlier days
 * plus the row's number within its day: DuckDB then sorts each day's rows on their own, in
 * parallel, where one ORDER BY over all rows sorts them in one piece (a quarter faster).
 */
export function numberedByDay(source: string, day: string, order: string): string {
  return `(
  WITH days AS (SELECT ${day} AS day, count(*) AS n FROM ${source} GROUP BY 1),
    starts AS (SELECT day, sum(n) OVER (ORDER BY day) - n AS earlier FROM days)
  SELECT CAST(starts.earlier + row_number() OVER (PARTITION BY starts.day ORDER BY ${order}) AS BIGINT) AS id, ${source}.*
  FROM ${source} JOIN starts ON starts.day IS NOT DISTINCT FROM ${day}
)`;
}
