// Where a command's words go: results on stdout (or one JSON document with --json), progress and
// errors on stderr, so `airlock … --json | jq` always reads JSON.
export interface Output {
  readonly json: boolean;
  /** whether stderr is a terminal: a redrawn progress bar there, plain lines otherwise */
  readonly tty: boolean;
  /** a line of human output (dropped under --json) */
  say(line: string): void;
  /** a progress note on stderr (dropped under --json) */
  note(line: string): void;
  /** raw text for the progress bar on a terminal */
  draw(text: string): void;
}

export function consoleOutput(json: boolean): Output {
  const tty = Boolean(process.stderr.isTTY) && !json;
  return {
    json,
    tty,
    say: (line) => {
      if (!json) process.stdout.write(`${line}\n`);
    },
    note: (line) => {
      if (!json) process.stderr.write(`${line}\n`);
    },
    draw: (text) => {
      if (tty) process.stderr.write(text);
    },
  };
}

export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = -1;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0)} ${units[i]}`;
}
