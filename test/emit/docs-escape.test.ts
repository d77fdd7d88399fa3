// Text from a KPI file never becomes markup in the Markdown catalog: not HTML, not MDX, not table columns.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { compileProject } from '../../src/index.js';
import { renderDocsOutputs } from '../../src/emit/docs/emit.js';
import { cell, code, codeBlock, inline, text, yamlString } from '../../src/emit/docs/markdown.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('markdown escaping', () => {
  it('makes HTML and MDX show as text', () => {
    expect(text('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(inline('<img src=x onerror="alert(1)"> {props.x}')).toBe('&lt;img src=x onerror="alert(1)"&gt; \\{props.x\\}');
    expect(inline('AT&T &amp; R&D &#60;')).toBe('AT&T &amp;amp; R&D &amp;#60;');
  });

  it('escapes emphasis, links and code, but not underscores inside words', () => {
    expect(inline('*a* _b_ [c](d) `e` first_time_fix_rate ~~f~~ \\')).toBe('\\*a\\* \\_b\\_ \\[c\\](d) \\`e\\` first_time_fix_rate \\~\\~f\\~\\~ \\\\');
  });

  it('keeps lines from starting a heading, list, quote or rule', () => {
    expect(text('# h\n- item\n+ item\n1. one\n2) two\n> quote\n---\n===\nplain')).toBe('\\# h\n\\- item\n\\+ item\n1\\. one\n2\\) two\n&gt; quote\n\\---\n\\===\nplain');
  });

  it('keeps a table cell on one line with its pipes escaped', () => {
    expect(cell('a | b\nc\n\nnext paragraph')).toBe('a \\| b c<br /><br />next paragraph');
    expect(code("x | 'y'", true)).toBe("`x \\| 'y'`");
    expect(code('a `b` c')).toBe('``a `b` c``');
    expect(code('`a`')).toBe('`` `a` ``');
  });

  it('fences a code block longer than any backtick run inside', () => {
    expect(codeBlock('select 1\n', 'sql')).toBe('```sql\nselect 1\n```');
    expect(codeBlock('a ``` b ```` c')).toBe('`````\na ``` b ```` c\n`````');
  });

  it('writes YAML strings that parse back to themselves', () => {
    for (const s of ['plain', 'a: b', '- x', '"quoted" \'single\'', '#not a comment', 'line\nbreak', 'tab\there', 'null', 'yes', '\u2028sep', '{x}', '& *alias', 'é ü']) {
      expect(parse(`v: ${yamlString(s)}`).v).toBe(s);
    }
  });
});

describe('a KPI file with hostile text', () => {
  let work: string;
  let docs: Map<string, string>;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'kpi-docs-'));
    for (const dir of ['kpis', 'schemas']) cpSync(join(ROOT, dir), join(work, dir), { recursive: true });
    const file = join(work, 'kpis', 'tactical', 'first_time_fix_rate.yaml');
    const original = readFileSync(file, 'utf8');
    const patched = original
      .replace(/^name: .*$/m, 'name: "Fix <img src=x onerror=alert(1)> | {rate}"')
      .replace(/^question: .*$/m, 'question: "Fixed | first: `time`? #1"')
      .replace(/^description: >-\n(  .*\n)+/m, 'description: |-\n  <script>alert(1)</script> | a cell\n  # not a heading\n  ```\n  - not a list {x}\n')
      .replace(/^pitfalls: >-\n(  .*\n)+/m, 'pitfalls: "Pipes | and\\nnewlines<b>bold</b>. Second sentence."\n')
      .replace(/^benchmark: .*$/m, 'benchmark: { value: 0.77, text: "line one | x\\nline two" }')
      .replace(/name: cancelled and unscheduled orders ignored.*$/m, 'name: "<i>cancelled</i> | ignored"');
    expect(patched).not.toBe(original);
    writeFileSync(file, patched);
    const compiled = compileProject(work);
    expect(compiled.diagnostics.filter((d) => d.file?.includes('first_time_fix_rate')).map((d) => d.message)).toEqual([]);
    expect(compiled.value.kpis.some((k) => k.def.id.value === 'first_time_fix_rate')).toBe(true);
    docs = renderDocsOutputs(compiled.value);
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('shows the HTML as text on the KPI page', () => {
    const md = docs.get('docs/first_time_fix_rate.md')!;
    // The front matter is YAML data (quoted, see below), which sites escape when they print it.
    const body = md.slice(md.indexOf('\n---\n', 4), md.indexOf('## SQL'));
    expect(body).not.toMatch(/<(script|img|b|i)\b/i);
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; \\| a cell\n\\# not a heading\n\\`\\`\\`\n\\- not a list \\{x\\}\n');
    expect(body).toContain('# Fix &lt;img src=x onerror=alert(1)&gt; \\| \\{rate\\} (FTFR)\n');
    expect(body).toContain('**Fixed \\| first: \\`time\\`? #1**\n');
    expect(body).toContain('### 1. &lt;i&gt;cancelled&lt;/i&gt; \\| ignored\n');
    expect(body).toContain('Pipes \\| and\nnewlines&lt;b&gt;bold&lt;/b&gt;. Second sentence.\n');
  });

  it('quotes the front matter', () => {
    const md = docs.get('docs/first_time_fix_rate.md')!;
    const front = parse(md.slice(4, md.indexOf('\n---\n', 4)));
    expect(front).toEqual({
      id: 'first_time_fix_rate',
      title: 'Fix <img src=x onerror=alert(1)> | {rate}',
      sidebar_label: 'FTFR',
      description: 'Fixed | first: `time`? #1',
      tags: ['tactical', 'field-service', 'quality', 'work-orders'],
    });
  });

  it('keeps the SQL block whole: the description is only text inside it', () => {
    const md = docs.get('docs/first_time_fix_rate.md')!;
    const sql = md.slice(md.indexOf('## SQL'));
    expect(sql).toContain('\n````sql\n-- first_time_fix_rate: Fix <img src=x onerror=alert(1)> | {rate} (FTFR)\n');
    expect(sql.match(/^````/gm)).toHaveLength(2);
  });

  it('keeps each index row one line of six cells', () => {
    const index = docs.get('docs/index.md')!;
    const row = index.split('\n').find((l) => l.includes('(first_time_fix_rate.md)') && l.startsWith('| '))!;
    expect(row).toBe(
      '| field-service | Fixed \\| first: \\`time\\`? #1 | [Fix &lt;img src=x onerror=alert(1)&gt; \\| \\{rate\\} (FTFR)](first_time_fix_rate.md) | `fixed_first_visit / completed` | 77% — line one \\| x line two | Pipes \\| and newlines&lt;b&gt;bold&lt;/b&gt;. |',
    );
    expect(row.replaceAll('\\|', '').split('|')).toHaveLength(8);
    expect(index).not.toMatch(/<(script|img|b|i)\b/i);
  });

  it('escapes the name where other pages link to it', () => {
    expect(docs.get('docs/mean_time_to_repair.md')).toContain('[Fix &lt;img src=x onerror=alert(1)&gt; \\| \\{rate\\}](first_time_fix_rate.md)');
  });
});
