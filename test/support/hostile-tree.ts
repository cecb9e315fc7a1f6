// A served folder with what must never come out of it (dotfiles, dot folders, links out of the
// folder) beside what must (plain files, a link inside, files named like compressed ones), and
// the Range forms a server must answer per RFC 9110. Shared by the server, Vite plugin and
// manifest writer tests.
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SIZE = 1000;
export const WEIGHTS = Uint8Array.from({ length: SIZE }, (_, i) => (i * 7) % 256);
/** real compressed bytes: a server that adds Content-Encoding gets them decoded by the client */
export const GZ = gzipSync(Buffer.from('{"vocab": ["a", "b", "c"]}\n'.repeat(40)));
export const BR = brotliCompressSync(Buffer.from('merges a b\n'.repeat(60)));
export const SECRET = 'TOKEN=do-not-serve\n';

/** Paths under the served folder's URL; every one must answer 404. */
export const HIDDEN_URLS = [
  '.env',
  '%2eenv',
  '%2Eenv',
  '%252eenv', // double-encoded
  'hostile/.git/config',
  'hostile/%2egit/config',
  'hostile/%252egit/config',
  'hostile/.hidden.onnx',
  'hostile/%2ehidden.onnx',
  'hostile/.%2e/.env',
  'hostile/%2e%2e/.env',
  'hostile/..%2f.env',
  'hostile/sub%2f..%2f.hidden.onnx',
  'hostile/link-to-dotfile.onnx', // a link inside the folder, to a dotfile
  'hostile/link-out.onnx', // a link to a file outside the folder
  'hostile/linkdir-out/secret.onnx', // through a linked folder outside
  'hostile/linkdir-out/',
];

/**
 * Writes `<served>/hostile/…` and `<outside>/…`. Returns the files a manifest of
 * `<served>/hostile` may list: the plain files and the link that stays inside.
 */
export function writeHostileTree(served: string, outside: string): { listed: string[] } {
  const m = join(served, 'hostile');
  mkdirSync(join(m, '.git'), { recursive: true });
  mkdirSync(join(m, 'sub'), { recursive: true });
  mkdirSync(join(outside, 'dir'), { recursive: true });
  writeFileSync(join(served, '.env'), SECRET);
  writeFileSync(join(m, '.git/config'), `[remote]\n${SECRET}`);
  writeFileSync(join(m, '.hidden.onnx'), SECRET);
  writeFileSync(join(m, 'weights.bin'), WEIGHTS);
  writeFileSync(join(m, 'sub/vocab.json.gz'), GZ);
  writeFileSync(join(m, 'merges.br'), BR);
  writeFileSync(join(outside, 'secret.onnx'), SECRET);
  writeFileSync(join(outside, 'dir/secret.onnx'), SECRET);
  symlinkSync('weights.bin', join(m, 'link-in.bin'));
  symlinkSync('.hidden.onnx', join(m, 'link-to-dotfile.onnx'));
  symlinkSync(join(outside, 'secret.onnx'), join(m, 'link-out.onnx'));
  symlinkSync(join(outside, 'dir'), join(m, 'linkdir-out'));
  return { listed: ['link-in.bin', 'merges.br', 'sub/vocab.json.gz', 'weights.bin'] };
}

export interface RangeCase {
  range: string;
  /** 206 with bytes [start, end]; 416; or 200 with the whole file */
  expect: { status: 206; start: number; end: number } | { status: 416 } | { status: 200 };
}

const slice = (start: number, end: number) => ({ status: 206 as const, start, end });
const whole = { status: 200 as const };
const unsatisfiable = { status: 416 as const };

/** Every form, against a file of SIZE bytes. */
export const RANGE_CASES: RangeCase[] = [
  { range: 'bytes=10-19', expect: slice(10, 19) },
  { range: 'bytes=0-0', expect: slice(0, 0) },
  { range: 'bytes=990-', expect: slice(990, 999) },
  { range: 'bytes=-10', expect: slice(990, 999) },
  { range: 'bytes=-1', expect: slice(999, 999) },
  { range: 'bytes=-5000', expect: slice(0, 999) }, // a suffix longer than the file: all of it
  { range: 'bytes=995-5000', expect: slice(995, 999) },
  { range: 'bytes=0-99999999999999999999', expect: slice(0, 999) },
  { range: 'Bytes=0-4', expect: slice(0, 4) }, // range units are case-insensitive
  { range: 'bytes=1000-', expect: unsatisfiable },
  { range: 'bytes=1000-1010', expect: unsatisfiable },
  { range: 'bytes=99999999999999999999-', expect: unsatisfiable },
  { range: 'bytes=-0', expect: unsatisfiable },
  { range: 'bytes=50-40', expect: whole }, // reversed: invalid, so ignored
  { range: 'bytes=999-0', expect: whole },
  { range: 'items=0-5', expect: whole },
  { range: 'garbage', expect: whole },
  { range: 'bytes=', expect: whole },
  { range: 'bytes=-', expect: whole },
  { range: 'bytes=abc-def', expect: whole },
  { range: 'bytes=1.5-3', expect: whole },
  { range: 'bytes=0x10-0x20', expect: whole },
  { range: 'bytes=--5', expect: whole },
  { range: 'bytes=0-5,10-15', expect: whole }, // several ranges: the whole file, never the first alone
  { range: 'bytes=0-5, 990-', expect: whole },
  { range: 'bytes=50-40,0-1', expect: whole },
];
