// The --audit files: each an evidence export (one JSON document) or a collector log (JSON Lines).
import { exportSource } from './audit-export.js';
import { collectorSource } from './collector-log.js';
import { isObject, parseJson, readText } from './read-input.js';
import type { AuditSource } from './types.js';

export async function readAuditSource(file: string): Promise<AuditSource> {
  const text = await readText(file, '--audit');
  const trimmed = text.trim();
  // a collector log is one request per line; an export is one (usually indented) document
  if (trimmed.split('\n', 1)[0]!.includes('"resourceLogs"')) return collectorSource(file, text);
  const doc = parseJson(file, text, '--audit');
  if (isObject(doc) && Array.isArray(doc.resourceLogs)) return collectorSource(file, text);
  return exportSource(file, doc);
}
