// Small HTML builders for the report: tables, badges and the stylesheet, all inline.
import { esc } from './escape.js';
import type { CheckStatus } from './types.js';

export type Cell = string | number | null | { html: string };

const cell = (c: Cell): string => {
  if (c === null) return '<span class="none">—</span>';
  if (typeof c === 'number') return `<span class="num">${esc(c.toLocaleString('en-US'))}</span>`;
  return typeof c === 'object' ? c.html : esc(c);
};

/** A table; `rowClass` marks rows, e.g. `bad` for a foreign request. */
export function table(head: readonly string[], rows: readonly Cell[][], rowClass?: (i: number) => string): string {
  if (rows.length === 0) return '<p class="none">None.</p>';
  const body = rows
    .map(
      (r, i) =>
        `<tr${rowClass?.(i) ? ` class="${rowClass(i)}"` : ''}>${r.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<div class="scroll"><table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

/** A two-column table of facts: a name, its value. */
export function facts(rows: readonly [string, Cell][]): string {
  const body = rows.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${cell(v)}</td></tr>`).join('\n');
  return `<div class="scroll"><table class="facts"><tbody>\n${body}\n</tbody></table></div>`;
}

export const badge = (status: CheckStatus): { html: string } => ({
  html: `<span class="badge ${status}">${status.toUpperCase()}</span>`,
});

export const mono = (s: string): { html: string } => ({ html: `<code>${esc(s)}</code>` });

export const section = (id: string, title: string, body: string): string =>
  `<section id="${esc(id)}">\n<h2>${esc(title)}</h2>\n${body}\n</section>`;

export const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #212121; margin: 0; background: #fafafa; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 2px solid #cfd8dc; }
h3 { font-size: 16px; margin: 22px 0 6px; }
.meta { color: #546e7a; margin: 0 0 16px; }
.scroll { overflow-x: auto; margin: 8px 0 14px; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: 13.5px; }
th, td { text-align: left; padding: 6px 9px; border-bottom: 1px solid #e0e0e0; vertical-align: top; }
th { background: #eceff1; font-weight: 600; white-space: nowrap; }
table.facts th { width: 16em; white-space: normal; }
.scroll > table:not(.facts) { min-width: 640px; }
.diagram { overflow-x: auto; } .diagram svg { min-width: 760px; }
tr.bad td { background: #ffebee; color: #b71c1c; }
code, pre { font: 12.5px/1.45 ui-monospace, "DejaVu Sans Mono", monospace; }
td code { word-break: break-all; }
pre { background: #fff; border: 1px solid #e0e0e0; padding: 10px; overflow-x: auto; white-space: pre-wrap; word-break: break-word; }
.badge { display: inline-block; min-width: 48px; text-align: center; font-weight: 700; font-size: 12px; padding: 2px 6px; border-radius: 4px; color: #fff; }
.badge.pass { background: #2e7d32; } .badge.fail { background: #c62828; } .badge.note { background: #607d8b; }
ul.summary { list-style: none; padding: 0; margin: 0; background: #fff; border: 1px solid #e0e0e0; }
ul.summary li { display: flex; gap: 12px; align-items: baseline; padding: 8px 12px; border-bottom: 1px solid #eee; }
ul.summary li.fail { background: #fff5f5; }
.none { color: #90a4ae; }
.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
.diagram { background: #fff; border: 1px solid #e0e0e0; padding: 8px; }
.legend { color: #546e7a; font-size: 13px; }
details { margin: 8px 0; } summary { cursor: pointer; color: #37474f; }
@media (max-width: 600px) { main { padding: 14px 10px 32px; } h1 { font-size: 21px; } table { font-size: 12.5px; } th, td { padding: 5px 6px; } }
`;
