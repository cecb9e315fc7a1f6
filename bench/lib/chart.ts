// The SVG chart: one horizontal bar per comparison (Airlock / reference, medians), a line at 1
// (no cost) and a mark at the floor where the row has one. Pure: figures in, markup out.

export interface Bar {
  label: string;
  ratio: number;
  /** the floor this bar is held to, if any */
  floor?: number | undefined;
  ok?: boolean | null | undefined;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderChart(title: string, bars: readonly Bar[]): string {
  const labelW = 330;
  const plotW = 420;
  const rowH = 22;
  const top = 48;
  const height = top + bars.length * rowH + 30;
  const max = Math.max(
    2,
    ...bars.map((b) => (Number.isFinite(b.ratio) ? b.ratio : 0)),
    ...bars.map((b) => b.floor ?? 0),
  );
  const x = (v: number) => labelW + (Math.min(v, max) / max) * plotW;
  // the value goes after the bar, or after the floor's mark when that stands where the value would
  const valueX = (b: Bar) => {
    const end = x(b.ratio) + 4;
    const mark = b.floor === undefined ? undefined : x(b.floor);
    return mark !== undefined && mark >= end - 6 && mark < end + 30 ? mark + 5 : end;
  };
  const rows = bars.map((b, i) => {
    const y = top + i * rowH;
    const colour = b.ok === false ? '#c0392b' : b.ok === true ? '#2e8b57' : '#4a6fa5';
    const floor =
      b.floor === undefined
        ? ''
        : `<line x1="${x(b.floor)}" x2="${x(b.floor)}" y1="${y + 2}" y2="${y + rowH - 2}" stroke="#000" stroke-width="2"/>`;
    return [
      `<text x="${labelW - 8}" y="${y + 15}" text-anchor="end">${escape(b.label)}</text>`,
      `<rect x="${labelW}" y="${y + 4}" width="${Math.max(1, x(b.ratio) - labelW)}" height="${rowH - 8}" fill="${colour}"/>`,
      floor,
      `<text x="${valueX(b)}" y="${y + 15}">${Number.isFinite(b.ratio) ? b.ratio.toFixed(2) : '-'}</text>`,
    ].join('');
  });
  const one = x(1);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${labelW + plotW + 60}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${escape(title)}</text>`,
    `<text x="10" y="38" fill="#555">Airlock / reference (medians); 1 = same cost; black mark: the floor; green meets it, red misses it</text>`,
    `<line x1="${one}" x2="${one}" y1="${top}" y2="${height - 26}" stroke="#999" stroke-dasharray="4 3"/>`,
    ...rows,
    `<text x="${one}" y="${height - 10}" text-anchor="middle" fill="#555">1</text>`,
    `</svg>`,
    '',
  ].join('\n');
}
