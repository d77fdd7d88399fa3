// The Markdown catalog rendered from the real KPI files: pages, front matter, lineage, index, SQL.

import { beforeAll, describe, expect, it } from 'vitest';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileProject, renderOutputs, type CheckedProject } from '../../src/index.js';
import { renderDocsOutputs } from '../../src/emit/docs/emit.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TIERS = ['strategic', 'tactical', 'operational', 'emerging'];

let project: CheckedProject;
let docs: Map<string, string>;
const page = (id: string) => {
  const p = docs.get(`docs/${id}.md`);
  if (p === undefined) throw new Error(`no page for ${id}`);
  return p;
};
/** The text of a `## heading` section, up to the next heading of the same or a higher level. */
const section = (md: string, heading: string) => {
  const level = /^#+/.exec(heading)![0].length;
  const start = md.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no section '${heading}'`);
  const rest = md.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`\\n#{1,${level}} `));
  return end < 0 ? rest : rest.slice(0, end);
};
const linksIn = (md: string) => [...md.matchAll(/\]\(([a-z0-9_]+)\.md\)/g)].map((m) => m[1]);

beforeAll(() => {
  project = compileProject(ROOT).value;
  docs = renderDocsOutputs(project);
});

describe('pages', () => {
  it('gives every KPI a page, and an index; nothing else', () => {
    const ids = project.kpis.map((k) => k.def.id.value).sort();
    expect(ids.length).toBeGreaterThan(40);
    expect([...docs.keys()].sort()).toEqual([...ids.map((id) => `docs/${id}.md`), 'docs/index.md'].sort());
  });

  it('writes front matter that docs sites accept', () => {
    const md = page('first_time_fix_rate');
    expect(md.startsWith(
      [
        '---',
        'id: "first_time_fix_rate"',
        'title: "First Time Fix Rate"',
        'sidebar_label: "FTFR"',
        'description: "Do technicians fix the problem on the first visit?"',
        'tags:',
        '  - "tactical"',
        '  - "field-service"',
        '  - "quality"',
        '  - "work-orders"',
        '---',
        '',
        '# First Time Fix Rate (FTFR)',
        '',
        '**Do technicians fix the problem on the first visit?**',
        '',
        'Share of completed work orders that were resolved on the first visit',
      ].join('\n'),
    )).toBe(true);
  });

  it('shows the facts, the formula as written and in plain words, and the measures', () => {
    const md = page('first_time_fix_rate');
    expect(md).toContain('- **Tier:** tactical\n- **Dashboards:** manager, technician\n- **Owner:** service-operations\n- **Unit:** percent, higher is better\n');
    expect(md).toContain('- **Target:** good at 80% or more; warning from 70% up to 80%; bad below 70%\n');
    expect(md).toContain('- **Benchmark:** 77% — Typical field service organisations fix 75-80% of jobs on the first visit.\n');
    expect(md).toContain('## Formula\n\n```text\nfixed_first_visit / completed\n```\n\nIn plain words: fixed_first_visit divided by completed.\n');
    expect(md).toContain(
      [
        '| Measure | Formula | In plain words |',
        '|---|---|---|',
        "| completed | `work_orders.count(where status = 'completed')` | the number of work_orders rows where status is 'completed', per period by completed_at |",
        "| fixed_first_visit | `work_orders.count(where status = 'completed' and resolved_on_first_visit)` | the number of work_orders rows where status is 'completed' and resolved_on_first_visit, per period by completed_at |",
      ].join('\n'),
    );
    expect(section(md, '## Pitfalls')).toContain('Chasing FTFR alone pushes technicians to close jobs early');
  });

  it('spells out a formula without measures, and names the KPIs a formula builds on', () => {
    expect(page('mean_time_to_repair')).toContain(
      "In plain words: the average of the hours from failure_reported_at to restored_at over work_orders rows where type is 'repair' and status is 'completed', per period by completed_at.\n",
    );
    expect(page('customer_lifetime_value')).toContain(
      'In plain words: [arpu](arpu.md) times [service_gross_margin](service_gross_margin.md) divided by [customer_churn_rate](customer_churn_rate.md).\n',
    );
  });

  it('lists the tables and columns read', () => {
    expect(section(page('first_time_fix_rate'), '## Lineage')).toContain('Reads:\n\n- `work_orders`: `completed_at`, `resolved_on_first_visit`, `status`\n');
    const clv = section(page('customer_lifetime_value'), '## Lineage');
    expect(clv).toContain('- `customers`: `churned_at`, `created_at`\n');
    expect(clv).toContain('- `revenue`: `amount`, `booked_at`, `kind`\n');
  });

  it('links the KPIs a KPI builds on, those built on it, and the related ones', () => {
    const clv = section(page('customer_lifetime_value'), '## Lineage');
    expect(clv).toContain('Builds on: [Average Revenue per User](arpu.md), [Customer Churn Rate](customer_churn_rate.md), [Service Gross Margin](service_gross_margin.md).\n');
    expect(clv).toContain('Built on it: no other KPI.\n');
    const arpu = section(page('arpu'), '## Lineage');
    expect(arpu).toContain('Builds on: no other KPI.\n');
    expect(arpu).toContain('Built on it: [Customer Lifetime Value](customer_lifetime_value.md).\n');
    for (const id of ['service_gross_margin', 'customer_churn_rate']) expect(page(id)).toContain('Built on it: [Customer Lifetime Value](customer_lifetime_value.md).\n');
    expect(section(page('first_time_fix_rate'), '## Lineage')).toContain('Related: [Mean Time to Repair](mean_time_to_repair.md).\n');
  });

  it('makes every link point at a page that exists', () => {
    for (const [path, md] of docs) for (const id of linksIn(md)) expect(docs.has(`docs/${id}.md`), `${path} links to ${id}`).toBe(true);
  });

  it('shows the fixtures as worked examples', () => {
    const md = section(page('first_time_fix_rate'), '## Worked examples');
    expect(md).toContain('### 1. cancelled and unscheduled orders ignored, null flag counts as not fixed, boundary at quarter start\n\nRun with grain quarter; from 2025-01-01 to 2025-06-30.\n');
    expect(md).toContain(
      [
        'Given `work_orders`:',
        '',
        '| id | type | status | resolved_on_first_visit | completed_at |',
        '|---|---|---|---|---|',
        '| 1 | repair | completed | true | 2025-01-03T10:00:00Z |',
      ].join('\n'),
    );
    expect(md).toContain('| 6 | repair | scheduled |  |  |\n');
    expect(md).toContain('Expected:\n\n| period | value |\n|---|---|\n| 2025-01-01 | 0.3333333333333333 |\n| 2025-04-01 | 1 |\n');
    expect(md).toContain('Run with grain quarter; from 2025-01-01 to 2025-03-31; by region.');
    expect(md).toContain('| period | region | value |\n|---|---|---|\n| 2025-01-01 | north | 0.5 |\n| 2025-01-01 | south | 1 |\n');
  });

  it('shows the same SQL as generated/sql/<id>.sql', () => {
    const sql = renderOutputs(project).outputs;
    for (const k of project.kpis) {
      const id = k.def.id.value;
      const file = sql.get(`sql/${id}.sql`);
      expect(file, id).toBeDefined();
      expect(section(page(id), '## SQL'), id).toContain(`\n\`\`\`sql\n${file!.replace(/\n+$/, '')}\n\`\`\`\n`);
    }
  });

  it('renders byte-identical output twice', () => {
    const again = renderDocsOutputs(compileProject(ROOT).value);
    expect([...again.entries()]).toEqual([...docs.entries()]);
  });

  it('does not depend on the order the KPIs were loaded in', () => {
    const reversed = renderDocsOutputs({ ...project, kpis: [...project.kpis].reverse() });
    expect([...reversed.entries()]).toEqual([...docs.entries()]);
  });
});

describe('index', () => {
  it('groups the catalog by tier, in tier order, each KPI once in its tier', () => {
    const md = page('index');
    const headings = [...md.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    const present = TIERS.filter((t) => project.kpis.some((k) => k.def.tier === t));
    expect(headings).toEqual([...present.map((t) => t[0].toUpperCase() + t.slice(1)), 'Dashboards']);
    for (const tier of present) {
      const title = tier[0].toUpperCase() + tier.slice(1);
      const rows = section(md, `## ${title}`).split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Topic'));
      const expected = project.kpis.filter((k) => k.def.tier === tier).map((k) => k.def.id.value).sort();
      expect(rows.flatMap(linksIn).sort(), tier).toEqual(expected);
      expect(rows.every((r) => r.split(' | ').length === 6), tier).toBe(true);
    }
  });

  it('has the catalog columns, and a row for FTFR', () => {
    const md = section(page('index'), '## Tactical');
    expect(md).toContain('| Topic | Business question | KPI | Calculation | Benchmark | Comments |\n|---|---|---|---|---|---|\n');
    expect(md).toContain(
      '| field-service | Do technicians fix the problem on the first visit? | [First Time Fix Rate (FTFR)](first_time_fix_rate.md) | `fixed_first_visit / completed` | 77% — Typical field service organisations fix 75-80% of jobs on the first visit. | Chasing FTFR alone pushes technicians to close jobs early or to split one job into several work orders; read it together with MTTR. |\n',
    );
  });

  it('lists under each role dashboard every KPI that role sees, once', () => {
    const md = section(page('index'), '## Dashboards');
    const titles: Record<string, string> = { exec: 'Executive', manager: 'Service manager', dispatcher: 'Dispatcher', technician: 'Technician' };
    for (const role of ['exec', 'manager', 'dispatcher', 'technician'] as const) {
      const expected = project.kpis.filter((k) => k.def.roles.includes(role)).map((k) => k.def.id.value).sort();
      if (expected.length === 0) continue;
      const listed = linksIn(section(md, `### ${titles[role]} (${role})`));
      expect([...listed].sort(), role).toEqual(expected);
    }
    expect(section(md, '### Service manager (manager)')).toContain('- [First Time Fix Rate](first_time_fix_rate.md) (tactical): Do technicians fix the problem on the first visit?\n');
  });
});
