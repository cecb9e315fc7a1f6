// Typed errors with stable codes. Codes are the contract: messages may change, codes do not.

export const ERROR_CODES = [
  'MODEL_NOT_FOUND',
  'MANIFEST_INVALID',
  'INTEGRITY_MISMATCH',
  'EGRESS_BLOCKED',
  'QUOTA_EXCEEDED',
  'BACKEND_UNAVAILABLE',
  'UNSUPPORTED_TASK',
  'BAD_INPUT',
  'ABORTED',
  'WORKER_CRASHED',
  'NETWORK',
  'DISPOSED',
  'STORAGE_FAILED',
  'SIGNATURE_INVALID',
  'POLICY_INVALID',
  'POLICY_DENIED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** What crosses the worker boundary: plain data, so structured clone keeps every field. */
export interface SerializedError {
  name: 'AirlockError';
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export class AirlockError extends Error {
  override readonly name = 'AirlockError';
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    this.details = details;
  }

  toJSON(): SerializedError {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...(this.details ? { details: this.details } : {}),
    };
  }

  static fromJSON(e: SerializedError): AirlockError {
    return new AirlockError(e.code, e.message, e.details);
  }
}

export function isAirlockError(e: unknown): e is AirlockError {
  return e instanceof AirlockError;
}
