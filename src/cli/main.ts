// The `airlock` command: dispatches to one command, prints its result (or one JSON document with
// --json), and turns every failure into one line and a documented exit status.
import { CliError, EXIT } from '../node/errors.js';
import { EXIT_LINE, helpText, parse, type CommandSpec, type Parsed } from './args.js';
import { consoleOutput, type Output } from './output.js';
import * as evidence from './commands/evidence.js';
import * as index from './commands/index.js';
import * as manifest from './commands/manifest.js';
import * as policy from './commands/policy.js';
import * as pull from './commands/pull.js';
import * as runtime from './commands/runtime.js';
import * as serve from './commands/serve.js';
import * as verify from './commands/verify.js';
import * as keygen from './commands/keygen.js';
import * as sign from './commands/sign.js';

interface Command {
  spec: CommandSpec;
  run(p: Parsed, out: Output): Promise<unknown>;
}

const COMMANDS: Command[] = [pull, manifest, verify, index, runtime, serve, keygen, sign, policy, evidence];

const USAGE = [
  'usage: airlock <command> [options]',
  '',
  'Puts models on an internal origin for Airlock: mirror, describe, check and serve them.',
  '',
  'commands:',
  ...COMMANDS.map((c) => `  ${`${c.spec.name} ${c.spec.args}`.padEnd(26)} ${c.spec.short}`),
  '',
  'Every command takes --help and --json.',
  EXIT_LINE,
  '',
].join('\n');

function fail(e: unknown, json: boolean): number {
  const err =
    e instanceof CliError
      ? e
      : new CliError(
          'LOCAL_IO',
          `unexpected failure: ${(e as Error)?.message ?? String(e)}`,
          'Run again; if it persists, report it',
        );
  if (json)
    process.stdout.write(
      `${JSON.stringify({ ok: false, error: { code: err.code, exit: err.exit, message: err.message, hint: err.hint, ...err.details } })}\n`,
    );
  process.stderr.write(`airlock: ${err.line()}\n`);
  return err.exit;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const json = argv.includes('--json');
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const about = COMMANDS.find((c) => c.spec.name === rest[0]);
    // asked for, it is the answer (stdout); given nothing, it is an error (stderr, exit 2)
    (name ? process.stdout : process.stderr).write(about ? helpText(about.spec) : USAGE);
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS.find((c) => c.spec.name === name);
  try {
    if (!command)
      throw new CliError(
        'BAD_USAGE',
        `there is no command "${name}"`,
        `Commands: ${COMMANDS.map((c) => c.spec.name).join(', ')}`,
      );
    const parsed = parse(command.spec, rest);
    if (parsed.values.help) {
      process.stdout.write(helpText(command.spec));
      return EXIT.ok;
    }
    const out = consoleOutput(json);
    const result = await command.run(parsed, out);
    if (json && result !== undefined) process.stdout.write(`${JSON.stringify({ ok: true, ...(result as object) })}\n`);
    return EXIT.ok;
  } catch (e) {
    return fail(e, json);
  }
}
