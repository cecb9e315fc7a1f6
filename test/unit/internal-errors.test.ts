// The worker's typed errors: control flow goes by their class, the page gets their public codes.
import { describe, expect, it } from 'vitest';
import { AirlockError } from '../../src/errors.js';
import { connectionBroke, HttpStatusError } from '../../src/worker/http-status.js';
import {
  DownloadMismatch,
  FileNotStored,
  repairable,
  storeFailure,
  StoredFileChanged,
} from '../../src/worker/store/errors.js';

const file = { path: 'onnx/model.onnx', size: 4, sha256: 'a'.repeat(64) };

describe('typed internal errors', () => {
  it('a file simply missing from the store is STORAGE_FAILED, not INTEGRITY_MISMATCH; both it and a changed file are repaired', () => {
    const missing = new FileNotStored('onnx/model.onnx of "m"', file);
    expect(missing.toJSON()).toMatchObject({ code: 'STORAGE_FAILED', details: { path: file.path, stored: false } });
    expect(missing.message).toContain('onnx/model.onnx of "m"');
    const changed = new StoredFileChanged('x', file, { size: 4, sha256: 'b'.repeat(64) });
    expect(changed.toJSON()).toMatchObject({
      code: 'INTEGRITY_MISMATCH',
      details: { path: file.path, stored: true, actual: { sha256: 'b'.repeat(64) } },
    });
    expect(changed.actualSha256).toBe('b'.repeat(64));
    const download = new DownloadMismatch('x', file, { size: 5, longer: true });
    expect(download.toJSON()).toMatchObject({
      code: 'INTEGRITY_MISMATCH',
      details: { path: file.path, expected: { size: 4 }, actual: { size: 5, longer: true } },
    });
    expect([missing, changed, download].map(repairable)).toEqual([true, true, false]);
    // the same code and details, but not the class: no repair
    expect(repairable(new AirlockError('INTEGRITY_MISMATCH', 'x', { path: file.path, stored: true }))).toBe(false);
  });

  it('maps the browser storage failures to stable codes and keeps the library errors as they are', () => {
    const closed = storeFailure(new DOMException('The database connection is closing.', 'InvalidStateError'));
    expect(closed.toJSON()).toMatchObject({ code: 'STORAGE_FAILED', details: { name: 'InvalidStateError' } });
    expect(storeFailure(new DOMException('full', 'QuotaExceededError')).code).toBe('QUOTA_EXCEEDED');
    const own = new AirlockError('ABORTED', 'x');
    expect(storeFailure(own)).toBe(own);
  });

  it('tells a refused request (an HTTP status) from a broken connection by class', () => {
    const refused = new HttpStatusError('answered HTTP 503', 503, { url: 'u' });
    expect(refused.toJSON()).toMatchObject({ code: 'NETWORK', details: { url: 'u', status: 503 } });
    expect(connectionBroke(refused)).toBe(false);
    expect(connectionBroke(new AirlockError('NETWORK', 'broke off', { url: 'u' }))).toBe(true);
    expect(connectionBroke(new AirlockError('ABORTED', 'x'))).toBe(false);
  });
});
