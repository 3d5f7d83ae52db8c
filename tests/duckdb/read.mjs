// Reads Parquet files with DuckDB as a user would: read_parquet([files...]) together, then prints each column's
// type (DESCRIBE) and the rows as JSON, for DuckDbReadTests to check. Usage: node read.mjs SQL-COLUMNS FILE...
import { DuckDBInstance } from '@duckdb/node-api';

const [columns, ...files] = process.argv.slice(2);
const list = '[' + files.map(f => `'${f.replaceAll("'", "''")}'`).join(', ') + ']';
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const types = await connection.runAndReadAll(`DESCRIBE SELECT ${columns} FROM read_parquet(${list}, union_by_name = false)`);
const rows = await connection.runAndReadAll(`SELECT ${columns} FROM read_parquet(${list}) ORDER BY ALL`);
console.log(JSON.stringify({
  types: Object.fromEntries(types.getRowObjectsJson().map(r => [r.column_name, r.column_type])),
  rows: rows.getRowObjectsJson(),
}));
