// The run messages' shapes (src/protocol/run-port.ts): the worker serves the run methods only.
import { describe, expect, it } from 'vitest';
import { RUN_KEY, RUN_METHODS, runReplyOf, runRequestOf } from '../../src/protocol/run-port.js';

const request = (m: Record<string, unknown>) => ({ [RUN_KEY]: m });

describe('run messages', () => {
  it('a request names a run method, a numeric id and its arguments', () => {
    for (const method of RUN_METHODS) {
      const r = request({ id: 7, method, args: [1, {}], events: false });
      expect(runRequestOf(r)).toEqual({ id: 7, method, args: [1, {}], events: false });
    }
  });

  it('no other method of the worker can be called by a run message', () => {
    for (const method of ['init', 'cacheClear', 'abort', 'constructor', '__proto__', 'toString'])
      expect(runRequestOf(request({ id: 1, method, args: [] }))).toBeUndefined();
  });

  it('messages of other kinds are not runs', () => {
    const others: unknown[] = [
      null,
      7,
      'x',
      { id: 'abc', type: 'APPLY', path: ['runSession'], argumentList: [] }, // a comlink call
      { 'airlock:message': { type: 'audit', event: {} } },
      request({ id: '1', method: 'runSession', args: [] }),
      request({ id: 1, method: 'runSession', args: 'not a list' }),
      { [RUN_KEY]: null },
    ];
    for (const data of others) {
      expect(runRequestOf(data)).toBeUndefined();
      expect(runReplyOf(data)).toBeUndefined();
    }
  });

  it('a reply carries an event or a result for its id', () => {
    const event = { type: 'text', text: 'hi' };
    expect(runReplyOf(request({ id: 2, event }))).toEqual({ id: 2, event });
    const result = { ok: true, value: 3 };
    expect(runReplyOf(request({ id: 2, result }))).toEqual({ id: 2, result });
    expect(runReplyOf(request({ id: 2 }))).toBeUndefined();
  });
});
