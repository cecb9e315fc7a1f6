// Renders the OCR samples (test/fixtures/ocr/*.png) and their ground truth (truth.json) with
// headless Chromium: HTML and CSS in the fonts Debian's Chromium package brings (Liberation) and
// DejaVu. Run with `npm run samples:ocr`; the PNGs are committed, so tests need no renderer.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { launchChromium } from '../test/support/chromium.js';

const OUT = resolve(import.meta.dirname, '../test/fixtures/ocr');

interface Sample {
  name: string;
  width: number;
  height: number;
  /** the text lines in reading order, as a reader would write them out */
  lines: string[];
  /** each line's glyphs' bounding rectangle, filled in when rendered */
  rects?: number[][];
  html: string;
  /** how the sample is made, for the record */
  note: string;
}

const css = (font: string, size: number) =>
  `body{margin:0;background:#fff;color:#111}#page{position:relative;overflow:hidden;background:#fff;font-family:'${font}';font-size:${size}px;line-height:1.6}`;

function block(lines: string[], style = ''): string {
  return lines.map((l) => `<div data-line style="${style}">${l}</div>`).join('');
}

const receiptItems: [string, string][] = [
  ['Espresso', '2.40'],
  ['Oat milk latte', '3.90'],
  ['Blueberry muffin', '2.75'],
  ['Sparkling water', '1.80'],
];
const receipt: Sample = {
  name: 'receipt',
  width: 420,
  height: 520,
  note: 'a till receipt in Liberation Mono, prices right-aligned on the item rows',
  lines: ['CORNER CAFE', '12 Market Street', ...receiptItems.map(([a, b]) => `${a} ${b}`), 'TOTAL 10.85', 'Thank you'],
  html:
    `<div style="padding:30px 36px">` +
    block(['CORNER CAFE', '12 Market Street'], 'text-align:center') +
    `<div style="height:24px"></div>` +
    receiptItems
      .map(
        ([a, b]) =>
          `<div data-line style="display:flex;justify-content:space-between"><span>${a}</span><span>${b}</span></div>`,
      )
      .join('') +
    `<div style="height:18px"></div><div data-line style="display:flex;justify-content:space-between;font-weight:bold"><span>TOTAL</span><span>10.85</span></div>` +
    `<div style="height:24px"></div>` +
    block(['Thank you'], 'text-align:center') +
    `</div>`,
};

const formRows: [string, string][] = [
  ['Full name', 'Margaret Hill'],
  ['Date of birth', '14 March 1987'],
  ['Address', '27 Orchard Lane'],
  ['City', 'Bristol'],
  ['Phone', '0117 496 0321'],
];
const form: Sample = {
  name: 'form',
  width: 720,
  height: 460,
  note: 'an application form in Liberation Sans: a title, labels and filled-in values in boxes',
  lines: ['Library membership application', ...formRows.map(([a, b]) => `${a} ${b}`)],
  html:
    `<div style="padding:30px 40px"><div data-line style="font-size:30px;font-weight:bold;margin-bottom:26px">Library membership application</div>` +
    formRows
      .map(
        ([a, b]) =>
          `<div data-line style="display:flex;align-items:center;margin:14px 0"><span style="width:220px">${a}</span>` +
          `<span style="border:1px solid #555;padding:2px 12px;width:360px">${b}</span></div>`,
      )
      .join('') +
    `</div>`,
};

const serifLines = ['The river rose slowly through the night,', 'and by morning the lower fields were under water.'];
const sansLines = ['Volunteers filled sandbags along the bank', 'while the ferry carried families to higher ground.'];
const paragraph: Sample = {
  name: 'paragraph',
  width: 820,
  height: 330,
  note: 'a paragraph in two fonts: Liberation Serif, then DejaVu Sans',
  lines: [...serifLines, ...sansLines],
  html:
    `<div style="padding:34px 40px">` +
    block(serifLines, "font-family:'Liberation Serif';font-size:28px") +
    `<div style="height:28px"></div>` +
    block(sansLines, "font-family:'DejaVu Sans';font-size:26px") +
    `</div>`,
};

const rotated: Sample = {
  name: 'rotated',
  width: 760,
  height: 360,
  note: 'one upright line, one line turned 180 degrees, one tilted by 4 degrees (Liberation Sans)',
  lines: ['This line is upright', 'Upside down', 'This line is slightly tilted'],
  html:
    `<div data-line style="position:absolute;left:60px;top:40px">This line is upright</div>` +
    `<div data-line style="position:absolute;left:60px;top:140px;transform:rotate(180deg)">Upside down</div>` +
    `<div data-line style="position:absolute;left:60px;top:250px;transform:rotate(-4deg);transform-origin:left center">This line is slightly tilted</div>`,
};

const letterLines = [
  'Dear Mr Patel,',
  'Thank you for your letter of 3 October about the repairs',
  'to the roof of the community hall. The council has agreed',
  'to pay for the work, which will begin on 12 November and',
  'should take about three weeks. During that time the hall',
  'will be closed, and the Tuesday market will move to the',
  'school playground on Mill Road.',
  'The contractor will leave the car park open for deliveries.',
  'If you have any questions, please call the office between',
  'nine and five on weekdays, or write to the address above.',
  'We are grateful for your patience while the work is done.',
  'Yours sincerely,',
  'Helen Brooks',
  'Facilities Manager',
];
const scan: Sample = {
  name: 'scan',
  width: 1000,
  height: 1400,
  note: 'a letter on a 1000x1400 page (the scan size of the responsiveness check), Liberation Serif',
  lines: ['Riverside Borough Council', 'Facilities Department', ...letterLines],
  html:
    `<div style="padding:80px 90px;font-family:'Liberation Serif';font-size:27px;line-height:2">` +
    `<div data-line style="font-size:38px;font-weight:bold">Riverside Borough Council</div><div data-line>Facilities Department</div>` +
    `<div style="height:60px"></div>` +
    block(letterLines) +
    `</div>`,
};

const label: Sample = {
  name: 'label',
  width: 256,
  height: 64,
  note: 'a small shelf label in Liberation Sans, for the slow WebGPU check (SwiftShader)',
  lines: ['Aisle 7 Bakery'],
  html: `<div data-line style="position:absolute;left:20px;top:12px">Aisle 7 Bakery</div>`,
};

const SAMPLES = [receipt, form, paragraph, rotated, scan, label];
const FONTS: Record<string, [string, number]> = {
  receipt: ['Liberation Mono', 22],
  form: ['Liberation Sans', 24],
  paragraph: ['Liberation Serif', 28],
  rotated: ['Liberation Sans', 34],
  scan: ['Liberation Serif', 27],
  label: ['Liberation Sans', 26],
};

/** Each line's text as laid out: the bounding rectangle [x0, y0, x1, y1] of its glyphs on the page, in pixels. */
function lineRects(): number[][] {
  const page = document.getElementById('page')!.getBoundingClientRect();
  return [...document.querySelectorAll('[data-line]')].map((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const r = range.getBoundingClientRect();
    return [r.left - page.left, r.top - page.top, r.right - page.left, r.bottom - page.top].map((v) => Math.round(v));
  });
}

async function main(): Promise<void> {
  const browser = await launchChromium('nogpu');
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    const truth: Record<string, Omit<Sample, 'html' | 'name'>> = {};
    for (const s of SAMPLES) {
      const [font, size] = FONTS[s.name]!;
      await page.setViewportSize({ width: s.width, height: s.height });
      await page.setContent(
        `<!doctype html><style>${css(font, size)}</style><div id="page" style="width:${s.width}px;height:${s.height}px">${s.html}</div>`,
      );
      await page.evaluate(() => document.fonts.ready);
      await page.locator('#page').screenshot({ path: resolve(OUT, `${s.name}.png`) });
      const rects = await page.evaluate(lineRects);
      if (rects.length !== s.lines.length)
        throw new Error(`${s.name}: ${rects.length} line elements, ${s.lines.length} lines`);
      truth[`${s.name}.png`] = { width: s.width, height: s.height, lines: s.lines, rects, note: s.note };
    }
    await writeFile(resolve(OUT, 'truth.json'), `${JSON.stringify(truth, null, 2)}\n`);
  } finally {
    await browser.close();
  }
}

await main();
