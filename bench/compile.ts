// Benchmark 1, compile: 100, 1,000 and 10,000 KPIs (copies of the catalog, see kpi-project.ts)
// from YAML to every output (SQL, docs, TypeScript). A fresh process is `kpi compile` as a user
// runs it (start-up and writing generated/ included); warm is the library called again in one
// process (load, check, render in memory), the median of the runs after a warm-up.

import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Index from '../src/index.js';
import type * as LoadProject from '../src/load/project.js';
import type * as Yaml from '../src/load/yaml.js';
import { writeKpiProject } from './kpi-project.js';
import { dist, median, ROOT, RUNS, runNode, runWorker } from './measure.js';

export interface CompileSize {
  kpis: number;
  yamlMb: number;
  outputs: number;
  fresh: { medianMs: number; runsMs: number[]; peakRssMb: number };
  warm: { medianMs: number; runsMs: number[]; loadMs: number; checkMs: number; renderMs: number; yamlParseMs: number; peakRssMb: number };
}

export interface CompileResult {
  mix: Record<string, number>;
  sizes: CompileSize[];
}

interface WarmReport {
  outputs: number;
  yamlBytes: number;
  runs: { load: number; check: number; render: number; yaml: number }[];
}

export async function benchCompile(sizes: number[], log: (s: string) => void): Promise<CompileResult> {
  const result: CompileResult = { mix: await catalogMix(), sizes: [] };
  for (const n of sizes) {
    const dir = join(tmpdir(), `kpi-bench-compile-${n}`);
    writeKpiProject(ROOT, dir, n);
    const fresh: { ms: number; rss: number }[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const r = runNode(['dist/cli/main.js', 'compile', '--root', dir]);
      if (r.status !== 0) throw new Error(`kpi compile of ${n} KPIs failed:\n${r.stderr}`);
      if (i > 0) fresh.push({ ms: r.ms, rss: r.peakRssMb });
    }
    const w = runWorker('compile.ts', ['warm', dir, String(RUNS)]);
    const report = JSON.parse(w.stdout) as WarmReport;
    const total = report.runs.map((r) => r.load + r.check + r.render);
    const size: CompileSize = {
      kpis: n,
      yamlMb: report.yamlBytes / 2 ** 20,
      outputs: report.outputs,
      fresh: { medianMs: median(fresh.map((f) => f.ms)), runsMs: fresh.map((f) => f.ms), peakRssMb: Math.max(...fresh.map((f) => f.rss)) },
      warm: {
        medianMs: median(total),
        runsMs: total,
        loadMs: median(report.runs.map((r) => r.load)),
        checkMs: median(report.runs.map((r) => r.check)),
        renderMs: median(report.runs.map((r) => r.render)),
        yamlParseMs: median(report.runs.map((r) => r.yaml)),
        peakRssMb: w.peakRssMb,
      },
    };
    result.sizes.push(size);
    log(`compile ${n} KPIs: fresh ${size.fresh.medianMs.toFixed(0)} ms (${size.fresh.peakRssMb.toFixed(0)} MB), warm ${size.warm.medianMs.toFixed(0)} ms (load ${size.warm.loadMs.toFixed(0)}, of which YAML ${size.warm.yamlParseMs.toFixed(0)}; check ${size.warm.checkMs.toFixed(0)}; render ${size.warm.renderMs.toFixed(0)}), ${size.warm.peakRssMb.toFixed(0)} MB`);
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

/** What the catalog (and so every copy of it) is made of. */
async function catalogMix(): Promise<Record<string, number>> {
  const { compileProject } = await dist<typeof Index>('index.js');
  const kpis = compileProject(ROOT).value.kpis;
  const text = (k: (typeof kpis)[number]) => [k.def.formula.text, ...k.def.measures.map((m) => m.formula.text)].join('\n');
  const count = (f: (k: (typeof kpis)[number]) => boolean) => kpis.filter(f).length;
  return {
    kpis: kpis.length,
    filtered: count((k) => /\bwhere\b/.test(text(k))),
    crossTable: count((k) => k.reads.length > 1),
    snapshot: count((k) => /\bat\s+(end|start)\b|\bduring\b/.test(text(k))),
    previousPeriod: count((k) => /\bprevious\s*\(/.test(text(k))),
    kpiReferences: count((k) => k.dependsOn.length > 0),
    fixtures: kpis.reduce((n, k) => n + k.def.tests.length, 0),
  };
}

/** The warm measurement, in a process of its own so that its peak memory is its own. */
async function warm(dir: string, runs: number): Promise<WarmReport> {
  const { loadProject, checkProject, renderOutputs } = await dist<typeof Index>('index.js');
  const { yamlFiles } = await dist<typeof LoadProject>('load/project.js');
  const { parseYaml } = await dist<typeof Yaml>('load/yaml.js');
  const texts = yamlFiles(dir).map((f) => ({ file: f, text: readFileSync(f, 'utf8') }));
  const report: WarmReport = { outputs: 0, yamlBytes: texts.reduce((n, t) => n + Buffer.byteLength(t.text), 0), runs: [] };
  for (let i = 0; i <= runs; i++) {
    // The part of loading that is the yaml package's parser alone: a floor for the load stage.
    const y0 = performance.now();
    for (const t of texts) parseYaml(t.file, t.text);
    const y1 = performance.now();
    const t0 = performance.now();
    const loaded = loadProject({ root: dir });
    const t1 = performance.now();
    const checked = checkProject(loaded.value);
    const t2 = performance.now();
    const { outputs, diagnostics } = renderOutputs(checked.value);
    const t3 = performance.now();
    if ([...loaded.diagnostics, ...checked.diagnostics, ...diagnostics].some((d) => d.severity === 'error')) throw new Error(`the generated project has errors`);
    report.outputs = outputs.size;
    if (i > 0) report.runs.push({ load: t1 - t0, check: t2 - t1, render: t3 - t2, yaml: y1 - y0 });
  }
  return report;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href && process.argv[2] === 'warm') {
  process.stdout.write(JSON.stringify(await warm(process.argv[3], Number(process.argv[4]))));
}
