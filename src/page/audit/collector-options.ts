// `audit.collector` and its settings, checked: the endpoint must be on the page's or the model
// origin, since the events go to the organisation's own log and nowhere else.
import { AirlockError } from '../../errors.js';
import type { OriginPolicy } from '../../shared/origins.js';
import { badOption, optionsObject, shown } from '../checks.js';
import { LIBRARY } from '../../version.js';
import type { AuditOptions } from '../options.js';
import type { CollectorSettings } from '../../protocol/collector.js';

function integer(option: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max)
    throw badOption(option, value, `an integer from ${min} to ${max}`);
  return value;
}

/** The collector's settings, or undefined when the page names none; a path is on the model origin. */
export function collectorSettings(
  given: AuditOptions | undefined,
  policy: OriginPolicy,
): CollectorSettings | undefined {
  const audit = optionsObject('audit', given);
  const { collector } = audit;
  if (collector === undefined) return undefined;
  if (typeof collector !== 'string' || collector === '')
    throw badOption('audit.collector', collector, 'a URL or a path');
  let url: URL;
  try {
    url = new URL(collector, `${policy.modelOrigin}/`);
  } catch {
    throw badOption('audit.collector', collector, 'a valid URL or path');
  }
  const origins = [policy.pageOrigin, policy.modelOrigin];
  if (!/^https?:$/.test(url.protocol) || !origins.includes(url.origin)) {
    throw new AirlockError(
      'BAD_INPUT',
      `audit.collector ${shown(url.href)} is not on the page's or the model origin (${[...new Set(origins)].join(', ')})`,
      { option: 'audit.collector', value: shown(url.href) },
    );
  }
  return {
    url: url.href,
    maxQueued: integer('audit.maxQueued', audit.maxQueued, 1000, 1, 1_000_000),
    batchMs: integer('audit.batchMs', audit.batchMs, 5000, 10, 3_600_000),
    library: { ...LIBRARY },
  };
}
