// The collector's payload against the official OTLP encoding: it decodes with the OpenTelemetry
// protobuf definitions (the generated ExportLogsServiceRequest), round-trips through the binary
// form unchanged (so no field is unknown, times are nanoseconds, enums numbers, values typed),
// and equals what OpenTelemetry's own JSON serializer writes for the same records.
import { JsonLogsSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/protocol/audit-events.js';
import { otlpRequest, unixNano, type OtlpLogRecord, type QueuedEvent } from '../../src/worker/audit/collector-otlp.js';
import { LIBRARY } from '../../src/version.js';
import { otlpRoundTrip as decoded } from '../support/otlp.js';

const AT = 1_764_590_400_123.456; // ms since the epoch, with a fraction as performance.timeOrigin gives
const EVENTS: AuditEvent[] = [
  {
    type: 'request',
    at: AT,
    url: 'http://127.0.0.1:8080/models/tiny-lm/manifest.json',
    origin: 'http://127.0.0.1:8080',
    allowed: true,
    status: 200,
    bytes: 1234,
    durationMs: 3.5,
    initiator: 'fetch',
  },
  {
    type: 'request',
    at: AT + 1,
    url: 'http://127.0.0.2:9/x',
    origin: 'http://127.0.0.2:9',
    allowed: false,
    status: 0,
    bytes: 0,
    durationMs: 1,
    initiator: 'fetch',
  },
  { type: 'denial', at: AT + 2, url: 'http://127.0.0.2:9/m.onnx', reason: 'not an allowed origin', modelId: 'evil' },
  {
    type: 'verification',
    at: AT + 3,
    modelId: 'tiny-lm',
    path: 'onnx/model.onnx',
    sha256: 'a'.repeat(64),
    ok: false,
    stage: 'download',
    actual: 'b'.repeat(64),
  },
  { type: 'run', at: AT + 4, modelId: 'tiny-lm', inputBytes: 12, outputBytes: 40, durationMs: 2, ok: true },
  { type: 'worker', at: AT + 5, state: 'crashed', reason: 'terminated' },
];
const QUEUED: QueuedEvent[] = EVENTS.map((event, i) => ({ id: `id-${i}`, event }));
const NOW = AT + 100;

describe('OTLP/HTTP JSON logs payload', () => {
  const request = otlpRequest(LIBRARY, QUEUED, NOW, 3);
  const json = JSON.parse(JSON.stringify(request)) as typeof request;
  const records = json.resourceLogs[0]!.scopeLogs[0]!.logRecords;

  it('round-trips through the protobuf definitions unchanged: every field known and typed', () => {
    expect(decoded(json)).toEqual(json);
    // the check can fail: a field OTLP does not have, or a time as a number, does not come back as sent
    const extra = structuredClone(json);
    Object.assign(extra.resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!, { prompt: 'x' });
    expect(decoded(extra)).not.toEqual(extra);
    const numeric = structuredClone(json) as unknown as {
      resourceLogs: { scopeLogs: { logRecords: { timeUnixNano: unknown }[] }[] }[];
    };
    numeric.resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!.timeUnixNano = 1764590400123456000;
    expect(decoded(numeric)).not.toEqual(numeric);
  });

  it('holds the resource, the scope and one record per event, plus the drop count', () => {
    const { resource, scopeLogs } = json.resourceLogs[0]!;
    expect(resource.attributes).toEqual([
      { key: 'service.name', value: { stringValue: 'airlock' } },
      { key: 'service.version', value: { stringValue: LIBRARY.version } },
    ]);
    expect(scopeLogs[0]!.scope).toEqual({ name: 'airlock', version: LIBRARY.version });
    expect(records).toHaveLength(EVENTS.length + 1);
    records.slice(0, EVENTS.length).forEach((r, i) => {
      expect(JSON.parse(r.body.stringValue)).toEqual(EVENTS[i]);
      expect(r.attributes.slice(0, 2)).toEqual([
        { key: 'airlock.event.type', value: { stringValue: EVENTS[i]!.type } },
        { key: 'airlock.event.id', value: { stringValue: `id-${i}` } },
      ]);
      expect(r.observedTimeUnixNano).toBe('1764590400223456000');
    });
    expect(records[0]!.timeUnixNano).toBe('1764590400123456000');
    expect(records[0]!.attributes.slice(2)).toEqual([
      { key: 'url.full', value: { stringValue: 'http://127.0.0.1:8080/models/tiny-lm/manifest.json' } },
      { key: 'http.response.status_code', value: { intValue: '200' } },
      { key: 'airlock.request.allowed', value: { boolValue: true } },
    ]);
    expect(records[2]!.attributes.slice(2)).toEqual([
      { key: 'airlock.model.id', value: { stringValue: 'evil' } },
      { key: 'url.full', value: { stringValue: 'http://127.0.0.2:9/m.onnx' } },
    ]);
    const dropped = records.at(-1)!;
    expect(JSON.parse(dropped.body.stringValue)).toEqual({ type: 'dropped', at: NOW, count: 3 });
    expect(dropped.attributes).toEqual([
      { key: 'airlock.event.type', value: { stringValue: 'dropped' } },
      { key: 'airlock.dropped.count', value: { intValue: '3' } },
    ]);
  });

  it('marks denials and failures WARN (13), the rest INFO (9)', () => {
    expect(records.map((r) => [r.severityNumber, r.severityText])).toEqual([
      [9, 'INFO'],
      [13, 'WARN'],
      [13, 'WARN'],
      [13, 'WARN'],
      [9, 'INFO'],
      [13, 'WARN'],
      [13, 'WARN'],
    ]);
  });

  it("equals OpenTelemetry's own JSON serializer's request for the same records", () => {
    const resource = { attributes: { 'service.name': 'airlock', 'service.version': LIBRARY.version } };
    const scope = { name: 'airlock', version: LIBRARY.version };
    const hr = (nanos: string): [number, number] => [
      Number(BigInt(nanos) / 10n ** 9n),
      Number(BigInt(nanos) % 10n ** 9n),
    ];
    const attrs = (r: OtlpLogRecord) =>
      Object.fromEntries(
        r.attributes.map(({ key, value }) => [
          key,
          'intValue' in value ? Number(value.intValue) : Object.values(value)[0],
        ]),
      );
    const peer = records.map((r) => ({
      hrTime: hr(r.timeUnixNano),
      hrTimeObserved: hr(r.observedTimeUnixNano),
      severityNumber: r.severityNumber,
      severityText: r.severityText,
      body: r.body.stringValue,
      attributes: attrs(r),
      droppedAttributesCount: 0,
      resource,
      instrumentationScope: scope,
    }));
    const theirs = JSON.parse(new TextDecoder().decode(JsonLogsSerializer.serializeRequest(peer as never))) as unknown;
    expect(decoded(json, true)).toEqual(decoded(theirs, true));
  });

  it('writes nanoseconds as a decimal string, exact to the microsecond', () => {
    expect(unixNano(0)).toBe('0');
    expect(unixNano(1.5)).toBe('1500000');
    expect(unixNano(1_764_590_400_123)).toBe('1764590400123000000');
  });
});
