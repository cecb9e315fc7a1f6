// Access logs of the model origin: `airlock serve --access-log` (one JSON object per line) and
// nginx's default `combined` format. nginx's line has no Origin header: the Referer's origin
// stands in for it.
import { invalidInput, isObject, parseJson, readText } from './read-input.js';
import type { AccessEntry } from './types.js';

const OPTION = '--access-log';
// $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"
const COMBINED = /^(\S+) \S+ \S+ \[([^\]]+)\] "([^"]*)" (\d{3}) (\d+|-) "([^"]*)" "([^"]*)"/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** nginx's `$time_local`, e.g. `01/Dec/2026:11:06:41 +0000`, as ISO 8601 UTC. */
function nginxTime(s: string): string | null {
  const m = /^(\d{2})\/(\w{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/.exec(s);
  const month = m ? MONTHS.indexOf(m[2]!) : -1;
  if (!m || month < 0) return null;
  const offset = (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9])) * 60_000;
  return new Date(Date.UTC(+m[3]!, month, +m[1]!, +m[4]!, +m[5]!, +m[6]!) - offset).toISOString();
}

function originOf(url: string): string | null {
  try {
    return url && url !== '-' ? new URL(url).origin : null;
  } catch {
    return null;
  }
}

function combinedEntry(file: string, line: number, text: string): AccessEntry {
  const m = COMBINED.exec(text);
  const time = m ? nginxTime(m[2]!) : null;
  if (!m || !time)
    throw invalidInput(file, line, "neither an airlock access log line nor nginx's combined format", OPTION);
  const [method = '', target = ''] = m[3]!.split(' ');
  return {
    file,
    line,
    format: 'combined',
    time,
    method,
    path: target.split('?')[0]!,
    status: Number(m[4]),
    bytes: m[5] === '-' ? 0 : Number(m[5]),
    client: m[1]!,
    origin: originOf(m[6]!),
    userAgent: m[7] === '-' ? null : m[7]!,
  };
}

const orNull = (v: unknown) => (typeof v === 'string' ? v : null);

function airlockEntry(file: string, line: number, text: string): AccessEntry {
  const o = parseJson(file, text, OPTION, line);
  if (!isObject(o) || typeof o.path !== 'string' || typeof o.status !== 'number' || typeof o.time !== 'string')
    throw invalidInput(file, line, 'an access log line without time, path and status', OPTION);
  return {
    file,
    line,
    format: 'airlock',
    time: o.time,
    method: typeof o.method === 'string' ? o.method : '',
    path: o.path,
    status: o.status,
    bytes: typeof o.bytes === 'number' ? o.bytes : 0,
    client: orNull(o.client),
    origin: orNull(o.origin),
    userAgent: orNull(o.userAgent),
  };
}

export async function readAccessLog(file: string): Promise<AccessEntry[]> {
  const text = await readText(file, OPTION);
  const entries: AccessEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    entries.push(raw.trimStart().startsWith('{') ? airlockEntry(file, i + 1, raw) : combinedEntry(file, i + 1, raw));
  });
  return entries;
}
