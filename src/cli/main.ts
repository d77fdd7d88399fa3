#!/usr/bin/env node
// The `kpi` command: each subcommand lives in its own file and only parses options, calls the
// library and prints.

import { Command, CommanderError } from 'commander';
import { registerCheck } from './check.js';
import { Exit } from './common.js';
import { registerCompile } from './compile.js';
import { registerDiff } from './diff.js';
import { registerImport } from './import.js';
import { registerNew } from './new.js';
import { registerRun } from './run.js';
import { registerSample } from './sample.js';
import { registerSite } from './site.js';
import { registerSql } from './sql.js';
import { registerStart } from './start.js';
import { registerTest } from './test.js';

const program = new Command('kpi')
  .description('KPI definition compiler: checks KPI files and compiles them to SQL, and runs them on DuckDB or PostgreSQL')
  .exitOverride()
  .showSuggestionAfterError(true)
  .configureOutput({ outputError: (str, write) => write(str.replace(/^error:/, 'error[KPI0504]:')) });
for (const register of [registerCheck, registerCompile, registerSql, registerRun, registerTest, registerSample, registerStart, registerNew, registerDiff, registerSite]) register(program);
for (const cmd of program.commands) cmd.exitOverride();
registerImport(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof Exit) process.exitCode = e.code;
  else if (e instanceof CommanderError) process.exitCode = e.exitCode === 0 ? 0 : 1;
  else {
    process.stderr.write(`internal error: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 70;
  }
}
