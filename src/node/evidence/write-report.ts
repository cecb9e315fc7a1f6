// Writes report.html, report.json and bom.cdx.json into the output folder.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ioError } from '../errors.js';
import { buildBom } from './bom.js';
import { reportHtml } from './html.js';
import type { EvidenceReport } from './types.js';

export const OUTPUT_FILES = ['report.html', 'report.json', 'bom.cdx.json'] as const;

export async function writeReport(out: string, report: EvidenceReport): Promise<string[]> {
  await mkdir(out, { recursive: true }).catch((e: unknown) => {
    throw ioError(`create ${out}`, e);
  });
  const contents = [
    reportHtml(report),
    `${JSON.stringify(report, null, 2)}\n`,
    `${JSON.stringify(buildBom(report), null, 2)}\n`,
  ];
  const paths = OUTPUT_FILES.map((f) => join(out, f));
  for (const [i, path] of paths.entries())
    await writeFile(path, contents[i]!).catch((e: unknown) => {
      throw ioError(`write ${path}`, e);
    });
  return paths;
}
