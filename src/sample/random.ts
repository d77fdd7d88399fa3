// Hash-based pseudo-random numbers for set-based generation inside DuckDB.
//
// Every random value is a pure function of (seed, row key, column tag), so a table's contents do
// not depend on thread count or evaluation order, and a different seed gives different data.
// `random()` is never used: it depends on the order DuckDB happens to evaluate rows in.

/** Temporary macros (not stored in the database file) that the generator's SQL calls. */
export function randomMacros(seed: number): string[] {
  const s = `CAST(${Math.trunc(seed)} AS BIGINT)`;
  // 53 random bits scaled into the open interval (0, 1), so ln(u) is always finite.
  const unit = (h: string): string => `((${h} >> 11)::DOUBLE + 0.5) / 9007199254740992.0`;
  // DuckDB combines the hashes of several arguments with a multiply-and-xor, so the last argument
  // only xors a constant into the result: two columns of one row would be strongly dependent.
  // Hashing the combined hash again (a murmur finaliser) decorrelates them. The tag is a string
  // literal: hashing it on its own first lets DuckDB fold it to a constant, so no string is
  // hashed per row (this is about three times faster than hashing the string with the key).
  return [
    `CREATE OR REPLACE TEMP MACRO rnd(k, tag) AS ${unit(`hash(hash(${s}, k, hash(tag)))`)}`,
    `CREATE OR REPLACE TEMP MACRO rnd2(k, j, tag) AS ${unit(`hash(hash(${s}, k, j, hash(tag)))`)}`,
    // Standard normal by Box-Muller from two independent uniforms.
    `CREATE OR REPLACE TEMP MACRO nrm(k, tag) AS sqrt(-2 * ln(rnd(k, tag || ':a'))) * cos(2 * pi() * rnd(k, tag || ':b'))`,
    `CREATE OR REPLACE TEMP MACRO nrm2(k, j, tag) AS sqrt(-2 * ln(rnd2(k, j, tag || ':a'))) * cos(2 * pi() * rnd2(k, j, tag || ':b'))`,
    // Log-normal with the given median and log-scale spread.
    `CREATE OR REPLACE TEMP MACRO lognorm(k, tag, median, sigma) AS median * exp(sigma * nrm(k, tag))`,
    `CREATE OR REPLACE TEMP MACRO lognorm2(k, j, tag, median, sigma) AS median * exp(sigma * nrm2(k, j, tag))`,
    // Timestamp arithmetic in whole seconds keeps results exact and reproducible.
    // (Computed on epoch microseconds: the same result as adding an interval, and cheaper.)
    `CREATE OR REPLACE TEMP MACRO plus_hours(ts, h) AS make_timestamp(epoch_us(ts) + CAST(round(h * 3600) AS BIGINT) * 1000000)`,
    `CREATE OR REPLACE TEMP MACRO plus_days(d, n) AS d + CAST(n AS INTEGER)`,
    // Demand seasonality by month: a winter peak and an August trough (maximum 1.0, for thinning).
    `CREATE OR REPLACE TEMP MACRO season(ts) AS list_extract([1.0, 0.96, 0.86, 0.78, 0.73, 0.72, 0.71, 0.5, 0.76, 0.81, 0.88, 0.95], month(ts))`,
    // Fewer requests at weekends.
    `CREATE OR REPLACE TEMP MACRO weekday_weight(ts) AS CASE dayofweek(ts) WHEN 0 THEN 0.3 WHEN 6 THEN 0.4 ELSE 1.0 END`,
    // Monday when the day falls on a weekend, else the day itself.
    `CREATE OR REPLACE TEMP MACRO next_weekday(d) AS d + to_days(CASE dayofweek(d) WHEN 6 THEN 2 WHEN 0 THEN 1 ELSE 0 END)`,
    // The earliest working time (weekdays 07:00-18:00) at or after ts; outside working hours, the
    // next working morning between 07:00 and 10:00.
    `CREATE OR REPLACE TEMP MACRO business_slot(ts, u) AS CASE
       WHEN dayofweek(ts) BETWEEN 1 AND 5 AND hour(ts) >= 7 AND hour(ts) < 18 THEN ts
       WHEN dayofweek(ts) BETWEEN 1 AND 5 AND hour(ts) < 7 THEN date_trunc('day', ts) + to_seconds(CAST(round((7 + 3 * u) * 3600) AS BIGINT))
       ELSE next_weekday(date_trunc('day', ts) + INTERVAL 1 DAY) + to_seconds(CAST(round((7 + 3 * u) * 3600) AS BIGINT)) END`,
  ];
}

/** Mean of season × weekday weight over the days of the history, to calibrate thinned processes. */
export function meanDemandWeight(): number {
  const season = [1.0, 0.96, 0.86, 0.78, 0.73, 0.72, 0.71, 0.5, 0.76, 0.81, 0.88, 0.95];
  let sum = 0;
  let days = 0;
  for (let t = Date.UTC(2022, 0, 1); t < Date.UTC(2026, 0, 1); t += 86_400_000) {
    const d = new Date(t);
    const dow = d.getUTCDay();
    sum += season[d.getUTCMonth()] * (dow === 0 ? 0.3 : dow === 6 ? 0.4 : 1.0);
    days += 1;
  }
  return sum / days;
}
