// The network architecture diagram as inline SVG: the browsers on the left, the allowed origins
// (the model origin, the collector) in the middle, anything else observed on the right in red.
import { esc } from './escape.js';
import type { EvidenceReport } from './types.js';

const BOX_W = 230;
const BOX_H = 44;
const GAP = 18;
const COLUMNS = [20, 320, 620];
const WIDTH = 870;
const RED = '#c62828';

interface Box {
  /** the origin or URL the box stands for; a client's: what it reached */
  key: string;
  reaches?: string[];
  x: number;
  y: number;
  title: string;
  label: string;
  kind: 'client' | 'allowed' | 'collector' | 'foreign';
}

const short = (s: string, n = 34) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function column(x: number, top: number, items: Omit<Box, 'x' | 'y'>[]): Box[] {
  return items.map((item, i) => ({ x, y: top + i * (BOX_H + GAP), ...item }));
}

function drawBox(b: Box): string {
  const stroke = b.kind === 'foreign' ? RED : b.kind === 'client' ? '#455a64' : '#2e7d32';
  const fill = b.kind === 'foreign' ? '#ffebee' : b.kind === 'client' ? '#eceff1' : '#e8f5e9';
  return [
    `<g class="node ${b.kind}">`,
    `<rect x="${b.x}" y="${b.y}" width="${BOX_W}" height="${BOX_H}" rx="6" fill="${fill}" stroke="${stroke}" stroke-width="1.5"/>`,
    `<text x="${b.x + 10}" y="${b.y + 17}" font-size="11" fill="#546e7a">${esc(b.title)}</text>`,
    `<text x="${b.x + 10}" y="${b.y + 34}" font-size="13" fill="${b.kind === 'foreign' ? RED : '#212121'}">${esc(short(b.label))}</text>`,
    '</g>',
  ].join('');
}

function drawLink(from: Box, to: Box): string {
  const red = to.kind === 'foreign';
  const x1 = from.x + BOX_W;
  const y1 = from.y + BOX_H / 2;
  const x2 = to.x;
  const y2 = to.y + BOX_H / 2;
  const style = red ? `stroke="${RED}" stroke-width="2" stroke-dasharray="6 4"` : 'stroke="#78909c" stroke-width="1.2"';
  return `<line class="link${red ? ' foreign' : ''}" x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" ${style} marker-end="url(#${red ? 'arrow-red' : 'arrow'})"/>`;
}

function heading(x: number, text: string, color = '#37474f'): string {
  return `<text x="${x}" y="22" font-size="13" font-weight="bold" fill="${color}">${esc(text)}</text>`;
}

const MARKERS = [
  '<defs>',
  '<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#78909c"/></marker>',
  `<marker id="arrow-red" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="${RED}"/></marker>`,
  '</defs>',
].join('');

export function networkDiagram(network: EvidenceReport['network']): string {
  const top = 36;
  const observed = network.clients.length ? network.clients : [{ label: '(no client observed)', reaches: [] }];
  const clients = column(
    COLUMNS[0]!,
    top,
    observed.map((c) => ({ key: c.label, reaches: c.reaches, title: 'browser', label: c.label, kind: 'client' })),
  );
  const allowed = network.allowedOrigins.map((o, i) => ({
    key: o,
    title: i === 0 ? 'model origin (internal)' : 'allowed origin',
    label: o,
    kind: 'allowed' as const,
  }));
  const collector = network.collector
    ? [{ key: network.collector, title: 'audit collector', label: network.collector, kind: 'collector' as const }]
    : [];
  const inside = column(COLUMNS[1]!, top, [...allowed, ...collector]);
  const outside = column(
    COLUMNS[2]!,
    top,
    network.foreignOrigins.map((o) => ({ key: o, title: 'NOT ALLOWED: observed', label: o, kind: 'foreign' })),
  );
  const rows = Math.max(clients.length, inside.length, outside.length, 1);
  const height = top + rows * (BOX_H + GAP) + 10;
  const links = clients.flatMap((c) =>
    [...inside, ...outside].filter((t) => c.reaches?.includes(t.key)).map((t) => drawLink(c, t)),
  );
  return [
    `<svg viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label="Network architecture" font-family="system-ui, sans-serif">`,
    `<title>Network architecture: ${esc(network.clients.length)} browser(s), ${esc(network.allowedOrigins.length)} allowed origin(s), ${esc(network.foreignOrigins.length)} other origin(s) observed</title>`,
    MARKERS,
    heading(COLUMNS[0]!, 'Browsers'),
    heading(COLUMNS[1]!, 'Allowed (policy)'),
    heading(
      COLUMNS[2]!,
      network.foreignOrigins.length ? 'Observed elsewhere' : 'Observed elsewhere: none',
      network.foreignOrigins.length ? RED : '#37474f',
    ),
    ...links,
    ...[...clients, ...inside, ...outside].map(drawBox),
    '</svg>',
  ].join('\n');
}
