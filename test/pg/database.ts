// A database of its own for each test file, on the shared server. Its default collation is ICU's
// en-US, as many warehouses have, which sorts 'a' before 'B' where DuckDB sorts by code point:
// results must come out in DuckDB's order all the same.

import pg from 'pg';
import { inject } from 'vitest';

export async function createDatabase(name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = inject('pgUrl');
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  const db = `kpi_${name}`;
  try {
    await client.query(`DROP DATABASE IF EXISTS "${db}"`);
    await client.query(`CREATE DATABASE "${db}" TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US'`);
  } finally {
    await client.end();
  }
  const url = admin.replace(/\/postgres$/, `/${db}`);
  return {
    url,
    drop: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
