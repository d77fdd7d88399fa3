import { Option, type Command } from 'commander';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadProject } from '../load/project.js';
import { KPI_UNITS, TIERS } from '../load/types.js';
import { orExit, rootOption, usageError } from './common.js';

interface NewOptions {
  root: string;
  tier: string;
  unit: string;
}

/** The scaffold: every field a KPI needs, with the formula left for its author. */
export function scaffold(id: string, tier: string, unit: string): string {
  const name = id.split('_').map((w) => w[0].toUpperCase() + w.slice(1)).join(' ');
  return `# yaml-language-server: $schema=../../schemas/kpi.schema.json
id: ${id}
name: ${name}
short: ${id.split('_').map((w) => w[0].toUpperCase()).join('')}
description: >-
  What ${name} measures, in one or two sentences a reader outside the data team understands.
question: Which business question does ${name} answer?
tier: ${tier}
roles: [manager]
owner: your-team
tags: []
unit: ${unit}
better: higher
# The formula language is described in docs/language.md; for example:
#   formula: work_orders.count(where status = 'completed') / work_orders.count()
formula: ''
grain: quarter
dimensions: []
related: []
tests: []
`;
}

export function registerNew(program: Command): void {
  program
    .command('new')
    .description('scaffold a KPI file (kpis/<tier>/<id>.yaml) that passes kpi check once its formula is filled in')
    .argument('<id>', 'the KPI id, snake_case')
    .addOption(rootOption())
    .addOption(new Option('--tier <tier>', 'the tier, which is also the folder').choices([...TIERS]).default('tactical'))
    .addOption(new Option('--unit <unit>', 'the unit of the result').choices([...KPI_UNITS]).default('percent'))
    .action((id: string, opts: NewOptions) => {
      const common = { root: opts.root, diagnostics: 'text' as const };
      if (!/^[a-z][a-z0-9_]*$/.test(id)) orExit([usageError(`the KPI id must be snake_case (lower-case letters, digits and underscores, starting with a letter); '${id}' is not`)], common);
      const root = resolve(opts.root);
      const existing = loadProject({ root }).value.kpis.find((k) => k.id.value === id);
      if (existing) orExit([usageError(`KPI '${id}' already exists in ${existing.file}`)], common);
      const file = join(root, 'kpis', opts.tier, `${id}.yaml`);
      if (existsSync(file)) orExit([usageError(`${file} already exists`)], common);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, scaffold(id, opts.tier, opts.unit), { flag: 'wx' });
      process.stderr.write(`wrote kpis/${opts.tier}/${id}.yaml: fill in its formula, then run 'kpi check'\n`);
    });
}
