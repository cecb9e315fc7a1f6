// Command-line options with node:util parseArgs: one table per command gives the parser its
// options and --help its text, so the two never disagree.
import { parseArgs } from 'node:util';
import { CliError } from '../node/errors.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** what --help shows, e.g. "<url>" */
  value?: string;
  help: string;
  multiple?: boolean;
  short?: string;
  default?: string;
}

export interface CommandSpec {
  name: string;
  /** e.g. "<org/name>" or "<dir…>" */
  args: string;
  /** one line for the command list */
  short: string;
  summary: string;
  options: Record<string, OptionSpec>;
  /** the fewest and most positionals */
  positionals: [min: number, max: number];
  /** environment variables the command reads, and what for */
  env?: Record<string, string>;
}

export const EXIT_LINE =
  'exit status: 0 done, 1 verification failed, 2 bad usage, 3 network or hub error, 4 local I/O error';

export const COMMON: Record<string, OptionSpec> = {
  json: { type: 'boolean', help: 'print one JSON document on stdout, for scripts' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export function parse(spec: CommandSpec, argv: string[]): Parsed {
  const options = Object.fromEntries(
    Object.entries({ ...spec.options, ...COMMON }).map(([k, o]) => [
      k,
      { type: o.type, ...(o.multiple && { multiple: true }), ...(o.short && { short: o.short }) },
    ]),
  );
  let parsed: Parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true }) as Parsed;
  } catch (e) {
    throw new CliError(
      'BAD_USAGE',
      `${spec.name}: ${(e as Error).message.split('\n')[0]!.split('. ')[0]!.replace(/\.$/, '')}`,
      `See airlock ${spec.name} --help`,
    );
  }
  if (parsed.values.help) return parsed;
  const [min, max] = spec.positionals;
  const n = parsed.positionals.length;
  if (n < min || n > max) {
    throw new CliError(
      'BAD_USAGE',
      `${spec.name} takes ${spec.args}, got ${n === 0 ? 'nothing' : parsed.positionals.map((p) => `"${p}"`).join(' ')}`,
      `See airlock ${spec.name} --help`,
    );
  }
  return parsed;
}

export function helpText(spec: CommandSpec): string {
  const rows = Object.entries({ ...spec.options, ...COMMON }).map(
    ([k, o]) =>
      [
        `${o.short ? `-${o.short}, ` : ''}--${k}${o.value ? ` ${o.value}` : ''}`,
        `${o.help}${o.default ? ` (default ${o.default})` : ''}`,
      ] as const,
  );
  const width = Math.max(...rows.map(([l]) => l.length));
  const env = Object.entries(spec.env ?? {}).map(([k, v]) => `  ${k}  ${v}`);
  return [
    `usage: airlock ${spec.name} ${spec.args} [options]`,
    '',
    spec.summary,
    '',
    'options:',
    ...rows.map(([l, r]) => `  ${l.padEnd(width)}  ${r}`),
    '',
    ...(env.length ? ['environment:', ...env, ''] : []),
    EXIT_LINE,
    '',
  ].join('\n');
}

export function str(p: Parsed, key: string): string | undefined {
  const v = p.values[key];
  return typeof v === 'string' ? v : undefined;
}

export function list(p: Parsed, key: string): string[] {
  const v = p.values[key];
  return (Array.isArray(v) ? v : typeof v === 'string' ? [v] : [])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}
