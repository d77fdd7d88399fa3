// Markdown text built from untrusted strings. Everything a docs template prints is an `Md`, and the
// only ways to make one escape their input, so text from a KPI file can never become markup: not
// HTML (`<script>`), not MDX expressions (`{...}`, which Docusaurus evaluates), not table columns.
//
// Templates are compiled with `noEscape`: Handlebars' own HTML escaping is wrong for Markdown, since
// entities are not decoded inside code blocks (a `'` in SQL would show as `&#x27;`).

declare const brand: unique symbol;
export type Md = string & { readonly [brand]: 'markdown' };

const trust = (s: string): Md => s as Md;

/** Markdown that the emitter wrote itself, with no text from a KPI file in it. */
export function generated(s: string): Md {
  return trust(s);
}

export function join(parts: Md[], separator = ''): Md {
  return trust(parts.join(separator));
}

/** One character of inline text, escaped where CommonMark, GFM or MDX would read it as syntax. */
function escapeChar(s: string, i: number): string {
  const c = s[i];
  switch (c) {
    case '\\':
    case '`':
    case '*':
    case '[':
    case ']':
    case '{':
    case '}':
    case '|':
    case '~':
      return `\\${c}`;
    case '<':
      return '&lt;';
    case '>':
      return '&gt;';
    case '&':
      // Only where it could start a character reference (`&amp;`, `&#60;`).
      return /^&(#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)/.test(s.slice(i, i + 40)) ? '&amp;' : c;
    case '_': {
      // An underscore inside a word (`first_time_fix_rate`) never emphasises; at a word's edge it may.
      const word = (x: string | undefined) => x !== undefined && /[A-Za-z0-9]/.test(x);
      return word(s[i - 1]) && word(s[i + 1]) ? c : '\\_';
    }
    default:
      return c;
  }
}

function escapeInline(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += escapeChar(s, i);
  return out;
}

/** A line that would start a heading, list, quote, rule or setext underline gets its marker escaped. */
function escapeLineStart(line: string): string {
  const m = /^(\s*)(#{1,6}(?=\s|$)|[-+=](?=\s|$)|[-=]{2,}\s*$|\d+(?=[.)](\s|$)))/.exec(line);
  if (!m) return line;
  const lead = m[1];
  const rest = line.slice(lead.length);
  if (/^\d/.test(rest)) {
    const digits = /^\d+/.exec(rest)![0];
    return `${lead}${digits}\\${rest.slice(digits.length)}`;
  }
  return `${lead}\\${rest}`;
}

/** Text as a paragraph: line breaks kept (a blank line still separates paragraphs), markup escaped. */
export function text(s: string): Md {
  const lines = s.replace(/\r\n?/g, '\n').trim().split('\n');
  return trust(lines.map((l) => escapeLineStart(escapeInline(l.trim()))).join('\n'));
}

/** Text on one line (a list item, a heading, a link label). */
export function inline(s: string): Md {
  return trust(escapeLineStart(escapeInline(oneLine(s))));
}

/** A piece of a sentence, in running text or a table cell: markup escaped, spaces kept at its edges. */
export function fragment(s: string): Md {
  return trust(escapeInline(s.replace(/\s+/g, ' ')));
}

/** Text in a table cell: `|` escaped and line breaks written as `<br />`, which GFM and MDX both accept. */
export function cell(s: string): Md {
  const paragraphs = s.replace(/\r\n?/g, '\n').trim().split(/\n\s*\n/);
  return trust(paragraphs.map((p) => escapeInline(oneLine(p))).join('<br /><br />'));
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** An inline code span holding `s` on one line; safe in a table cell (GFM reads `\|` as `|` there). */
export function code(s: string, inTable = false): Md {
  const body = oneLine(s);
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((r) => r.length));
  const ticks = '`'.repeat(longest + 1);
  const pad = body.startsWith('`') || body.endsWith('`') ? ' ' : '';
  const inner = inTable ? body.replaceAll('|', '\\|') : body;
  return trust(`${ticks}${pad}${inner}${pad}${ticks}`);
}

/** A fenced code block; the fence is longer than any run of backticks in the body. */
export function codeBlock(body: string, lang = ''): Md {
  const longest = Math.max(0, ...(body.match(/`{3,}/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return trust(`${fence}${lang}\n${body.replace(/\n+$/, '')}\n${fence}`);
}

/** A link to another page of the catalog, by KPI id. */
export function link(label: string, href: string): Md {
  return trust(`[${escapeInline(oneLine(label))}](${encodeURI(href)})`);
}

/** A YAML scalar that any YAML parser reads back as the same string. */
export function yamlString(s: string): string {
  // A JSON string is a YAML double-quoted scalar; also escape the characters YAML 1.1 treats as breaks.
  return JSON.stringify(s).replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A GFM table; every cell is already Markdown. */
export function table(headers: Md[], rows: Md[][]): Md {
  const line = (cells: Md[]) => `| ${cells.join(' | ')} |`;
  return trust([line(headers), `|${headers.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n'));
}
