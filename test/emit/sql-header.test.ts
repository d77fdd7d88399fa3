// The comment header of a generated SQL file holds text from KPI files (name, short name, unit
// label, description). Whatever that text holds, it stays inside the comment.

import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { commentLines } from '../../src/emit/sql/emit.js';

describe('commentLines', () => {
  it('keeps line breaks and control characters of KPI text inside the comment', () => {
    expect(commentLines(['a\rCREATE TABLE x (i INT); --', 'b\nc\r\nd', '', 'e\u2028f\u0000g\th'])).toEqual([
      '-- a',
      '-- CREATE TABLE x (i INT); --',
      '-- b',
      '-- c',
      '-- d',
      '--',
      '-- e',
      '-- f g h',
    ]);
  });

  it('gives DuckDB nothing to run but the query after it', async () => {
    const header = commentLines(["x\rCREATE TABLE pwned AS SELECT 1 AS i; --", 'y\nCREATE TABLE pwned2 AS SELECT 2 AS i;']).join('\n');
    const inst = await DuckDBInstance.create(':memory:');
    const c = await inst.connect();
    try {
      const rows = (await c.runAndReadAll(`${header}\nSELECT 42 AS answer`)).getRowObjects();
      expect(rows).toEqual([{ answer: 42 }]);
      const tables = (await c.runAndReadAll('SELECT table_name FROM duckdb_tables()')).getRowObjects();
      expect(tables).toEqual([]);
      // The same text pasted without commentLines does run: the test above is not vacuous.
      await c.run("-- x\rCREATE TABLE pwned AS SELECT 1 AS i;\nSELECT 1");
      expect((await c.runAndReadAll('SELECT table_name FROM duckdb_tables()')).getRowObjects()).toEqual([{ table_name: 'pwned' }]);
    } finally {
      c.closeSync();
      inst.closeSync();
    }
  });
});
