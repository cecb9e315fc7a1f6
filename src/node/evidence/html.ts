// report.html: one self-contained page (inline CSS and SVG, no script, no external resource).
import { esc } from './escape.js';
import { STYLE } from './html-parts.js';
import {
  accessSection,
  modelsSection,
  networkSection,
  policySection,
  runtimeSection,
  summarySection,
} from './html-sections.js';
import type { EvidenceReport } from './types.js';

export function reportHtml(r: EvidenceReport): string {
  const failed = r.summary.filter((l) => l.status === 'fail').length;
  const inputs = [
    `models ${r.inputs.models}`,
    ...r.inputs.audit.map((f) => `audit ${f}`),
    ...r.inputs.accessLogs.map((f) => `access log ${f}`),
    r.inputs.policy ? `policy ${r.inputs.policy}` : 'no policy',
    ...(r.inputs.app ? [`app ${r.inputs.app}`] : []),
  ];
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>Airlock evidence report ${esc(r.generatedAt)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body><main>',
    '<h1>Airlock evidence report</h1>',
    `<p class="meta">Generated ${esc(r.generatedAt)} by ${esc(r.tool.name)} ${esc(r.tool.version)}. ${failed === 0 ? 'Every check passed.' : `${failed} check(s) failed.`}</p>`,
    `<details><summary>Inputs</summary><ul>${inputs.map((i) => `<li><code>${esc(i)}</code></li>`).join('')}</ul></details>`,
    summarySection(r),
    networkSection(r),
    accessSection(r),
    policySection(r),
    modelsSection(r),
    runtimeSection(r),
    '</main></body>',
    '</html>',
    '',
  ].join('\n');
}
