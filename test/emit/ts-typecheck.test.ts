// The generated TypeScript of the whole catalog type-checks under `tsc --strict`, has no `any`,
// and is the same text on every run.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { renderTsOutputs } from '../../src/emit/ts/emit.js';
import { loadCatalog, writeGenerated } from './ts-setup.js';

describe('generated/ts', () => {
  const project = loadCatalog();

  it('has a calculator for every KPI of the catalog, an index, the tables and the runtime', () => {
    const outputs = renderTsOutputs(project);
    for (const k of project.kpis) expect(outputs.has(`ts/${k.def.id.value}.ts`), k.def.id.value).toBe(true);
    for (const f of ['ts/index.ts', 'ts/tables.ts', 'ts/runtime.ts']) expect(outputs.has(f)).toBe(true);
    expect(outputs.size).toBe(project.kpis.length + 3);
  });

  it('is deterministic', () => {
    expect([...renderTsOutputs(project)]).toEqual([...renderTsOutputs(loadCatalog())]);
  });

  it('type-checks under --strict with no errors and no any', () => {
    const dir = writeGenerated(project);
    const files = [...renderTsOutputs(project).keys()].map((p) => join(dir, p));
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      noEmit: true,
      noImplicitAny: true,
      noUnusedLocals: true,
      types: [],
    };
    // A package.json of type module makes the files ES modules, as in a project that uses them.
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    const program = ts.createProgram(files, options);
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file && d.start !== undefined ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
      return `${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(diagnostics).toEqual([]);
    for (const f of files) {
      const code = readFileSync(f, 'utf8')
        .replace(/\/\/.*$/gm, '')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/'(?:[^'\\]|\\.)*'/g, "''");
      expect(code, f).not.toMatch(/\bany\b/);
    }
  });
});
