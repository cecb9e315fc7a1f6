import { afterEach, describe, expect, it } from 'vitest';
import { chromiumPath } from '../support/chromium.js';

describe('finding Chromium for the browser tests', () => {
  const saved = process.env.AIRLOCK_CHROMIUM;
  afterEach(() => {
    if (saved === undefined) delete process.env.AIRLOCK_CHROMIUM;
    else process.env.AIRLOCK_CHROMIUM = saved;
  });

  it('uses AIRLOCK_CHROMIUM, and fails clearly when it points nowhere', () => {
    process.env.AIRLOCK_CHROMIUM = '/nonexistent/chromium';
    expect(() => chromiumPath()).toThrow('AIRLOCK_CHROMIUM=/nonexistent/chromium does not exist');
    process.env.AIRLOCK_CHROMIUM = process.execPath; // any existing file is taken as given
    expect(chromiumPath()).toBe(process.execPath);
  });
});
