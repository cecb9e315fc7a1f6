import { describe, expect, it } from 'vitest';
import { AirlockError, ERROR_CODES } from '../../src/errors.js';

describe('AirlockError', () => {
  it('survives structured clone with code, message and details', () => {
    for (const code of ERROR_CODES) {
      const e = new AirlockError(code, `m-${code}`, { n: 1 });
      const copy = AirlockError.fromJSON(structuredClone(e.toJSON()));
      expect(copy).toBeInstanceOf(AirlockError);
      expect([copy.code, copy.message, copy.details]).toEqual([code, `m-${code}`, { n: 1 }]);
    }
  });
});
