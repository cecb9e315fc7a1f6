// An origin that answered, with a status that refuses the request: NETWORK, like a broken
// connection, but typed, since what follows differs (a broken download is tried again from where
// it stopped; a refused one is not; a stored manifest stands in only for a failing origin).
import { AirlockError } from '../errors.js';

export class HttpStatusError extends AirlockError {
  constructor(
    message: string,
    readonly status: number,
    details: Record<string, unknown>,
  ) {
    super('NETWORK', message, { ...details, status });
  }
}

/** A NETWORK failure with no answer from the origin: a connection that broke, or timed out. */
export function connectionBroke(e: unknown): boolean {
  return e instanceof AirlockError && e.code === 'NETWORK' && !(e instanceof HttpStatusError);
}
