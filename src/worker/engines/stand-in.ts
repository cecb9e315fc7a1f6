// A failure delivered as a value: for promise chains that must never reject (see chain-guard.ts).

/** A value that throws `error` at any use; promise resolution's look for `then` finds none. */
export function failing(error: unknown): never {
  const raise = (): never => {
    throw error;
  };
  const handler: ProxyHandler<object> = {
    get: (_, key) => (key === 'then' ? undefined : raise()),
    set: raise,
    has: raise,
    ownKeys: raise,
    getOwnPropertyDescriptor: raise,
    defineProperty: raise,
    deleteProperty: raise,
    getPrototypeOf: raise,
  };
  return new Proxy(Object.create(null), handler) as never;
}

/** `fn`, resolving to a stand-in that throws its error instead of rejecting. */
export function neverRejects<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return (...args) => {
    try {
      return fn(...args).catch((e: unknown) => failing(e));
    } catch (e) {
      return Promise.resolve(failing(e));
    }
  };
}
