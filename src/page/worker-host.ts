// The worker's lifecycle on the page: start on first use, learn of its death, reject what was
// pending with WORKER_CRASHED, and start a fresh one on the next call.
import * as Comlink from 'comlink';
import type { AuditSink } from '../protocol/audit-events.js';
import { auditMessageOf, type EventSink, type Result } from '../protocol/messages.js';
import { workerScriptRequest } from './audit/worker-script-request.js';
import { AirlockError } from '../errors.js';
import { isAllowedUrl } from '../shared/origins.js';
import type { WorkerConfig, WorkerFacts } from '../protocol/config.js';
import type { CallContract, RunArgs, RunMethod, RunValue } from '../protocol/run-port.js';
import { RunPort } from './run-port.js';
import { workerEvent } from './audit/events.js';
import { workerStartError } from './worker-start.js';
import { spawnWorker, uniqueName } from './worker-spawn.js';

export interface Connection {
  api: Comlink.Remote<CallContract>;
  /** why this worker is gone (crash, dispose), once it is */
  error: AirlockError | undefined;
  /** increases with every worker started: models loaded in an older one must be loaded again */
  epoch: number;
  /** rejects when this worker dies or the runtime is disposed */
  dead: Promise<never>;
}

interface Running extends Connection {
  worker: Worker;
  runs: RunPort;
  ready: Promise<void>;
  /** set once the worker said hello: a call on a started worker need not wait for `ready` again */
  started?: boolean;
  kill: (error: AirlockError) => void;
  /** calls in flight on this worker */
  busy: number;
  /** no new calls come here: it is terminated once `busy` is 0 */
  retiring: boolean;
}

/** An error after which this worker can build no engine: the next call gets a new worker. */
function spoilsWorker(e: AirlockError): boolean {
  // onnxruntime-web keeps the failure of its first start (runtime files not served) for good
  return e.details?.reason === 'runtime-files';
}

const INIT_TIMEOUT_MS = 30_000;

/** How the page makes one worker call: a signal that aborts it, and where its events go. */
export type HostCall = { signal?: AbortSignal | undefined; events?: EventSink | undefined };

/** What the browser throws on its side of the boundary (an uncloneable input, say) gets a code too. */
function asAirlockError(e: unknown): AirlockError {
  if (e instanceof AirlockError) return e;
  const name = (e as Error)?.name;
  const message = (e as Error)?.message ?? String(e);
  return new AirlockError(
    'BAD_INPUT',
    name === 'DataCloneError' ? `An argument cannot be sent to the worker: ${message}` : message,
  );
}

/**
 * The remote with each method's proxy made once: comlink makes a new proxy, registered for
 * finalization, at every property read, which every call would otherwise pay for.
 */
function methodsOnce<T extends object>(remote: Comlink.Remote<T>): Comlink.Remote<T> {
  const made = new Map<PropertyKey, unknown>();
  return new Proxy(remote, {
    get(target, key) {
      if (!made.has(key)) made.set(key, Reflect.get(target, key));
      return made.get(key);
    },
  });
}

export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw AirlockError.fromJSON(result.error);
}

export class WorkerHost {
  private running: Running | undefined;
  private epoch = 0;
  private nextCallId = 1;
  private disposed = false;
  private started: WorkerFacts | undefined;

  constructor(
    private readonly config: Omit<WorkerConfig, 'livenessLock'>,
    private readonly workerUrl: string | URL | undefined,
    private readonly audit: AuditSink,
  ) {}

  /** The limits every worker of this host runs under, for the checks made on the page. */
  limits(): { maxImagePixels: number } {
    return { maxImagePixels: this.config.maxImagePixels };
  }

  /** What the latest worker said of itself when it started; undefined before the first one did. */
  facts(): WorkerFacts | undefined {
    return this.started;
  }

  /** Whether a worker runs now (a call would not start one). */
  isRunning(): boolean {
    return this.running !== undefined;
  }

  /** Waits until the page has every audit event the running worker has sent (if one runs). */
  async flushAudit(): Promise<void> {
    const running = this.running;
    if (!running) return;
    try {
      await Promise.race([running.ready, running.dead]);
      await Promise.race([running.api.flushAudit(), running.dead]);
    } catch {
      // a worker that died or never started has nothing more to send
    }
  }

  /** The live worker, started if needed. */
  async connect(): Promise<Connection> {
    if (this.disposed) throw new AirlockError('DISPOSED', 'This runtime was disposed; create a new one');
    const running = (this.running ??= this.start());
    if (!running.started) await Promise.race([running.ready, running.dead]);
    return running;
  }

  /** The running worker, if there is one; never starts one. */
  current(): Connection | undefined {
    return this.running;
  }

  /** Runs one worker call; it rejects with WORKER_CRASHED if the worker dies meanwhile. */
  call<T>(
    fn: (
      api: Comlink.Remote<CallContract>,
      callId: number | undefined,
      events: EventSink | undefined,
    ) => Promise<Result<T>>,
    options: HostCall = {},
    conn?: Connection,
  ): Promise<T> {
    return this.callOn(conn, options, (c, callId) =>
      fn(c.api, callId, options.events && Comlink.proxy(options.events)),
    );
  }

  /** Runs a loaded model by a run message (src/protocol/run-port.ts); as `call` otherwise. */
  run<M extends RunMethod>(
    method: M,
    args: (callId: number | undefined) => RunArgs<M>,
    transfers: Transferable[],
    options: HostCall = {},
    conn?: Connection,
  ): Promise<RunValue<M>> {
    return this.callOn(
      conn,
      options,
      (c, callId) => c.runs.request(method, args(callId), transfers, options.events) as Promise<Result<RunValue<M>>>,
    );
  }

  private async callOn<T>(
    conn: Connection | undefined,
    options: HostCall,
    send: (c: Running, callId: number | undefined) => Promise<Result<T>>,
  ): Promise<T> {
    const { signal } = options;
    const notStarted = () => new AirlockError('ABORTED', 'The call was aborted before it started');
    if (signal?.aborted) throw notStarted(); // no worker is started for it
    const c = (conn ?? (await this.connect())) as Running;
    if (c.error) throw c.error; // disposed or dead between connect and now
    // an abort while the worker started: the listener below comes too late to hear it
    if (signal?.aborted) throw notStarted();
    c.busy++;
    // only a call with a signal can be aborted: the worker listens for an abort of it (its
    // generation yields once per token to hear one); a call without one is not listened for
    const callId = signal ? this.nextCallId++ : undefined;
    const onAbort = () => {
      if (!c.error && callId !== undefined) c.api.abort(callId).catch(() => undefined);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await Promise.race([send(c, callId), c.dead]);
      result.audit?.forEach((event) => this.audit(event));
      return unwrap(result);
    } catch (e) {
      const error = c.error ?? asAirlockError(e);
      if (!c.error && spoilsWorker(error)) this.retire(c);
      throw error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      c.busy--;
      if (c.retiring && c.busy === 0)
        c.kill(new AirlockError('WORKER_CRASHED', 'This worker was replaced by a new one'));
    }
  }

  /** Sends later calls to a new worker; this one ends when its calls have. */
  private retire(c: Running): void {
    if (this.running === c) this.running = undefined;
    c.retiring = true;
  }

  dispose(): void {
    this.disposed = true;
    this.running?.kill(new AirlockError('DISPOSED', 'The runtime was disposed while this call ran'));
    this.running = undefined;
  }

  private start(): Running {
    const epoch = ++this.epoch;
    const worker = spawnWorker(this.workerUrl);
    // audit events come on the worker's own port, ahead of the results they belong with
    worker.addEventListener('message', (e) => {
      const message = auditMessageOf(e.data);
      if (message) this.audit(message.event);
    });
    const api = methodsOnce(Comlink.wrap<CallContract>(worker));
    let reject!: (e: AirlockError) => void;
    const dead = new Promise<never>((_, r) => (reject = r));
    dead.catch(() => undefined); // observed by each call's race
    const kill = (error: AirlockError) => {
      if (running.error) return;
      running.error = error;
      if (this.running?.epoch === epoch) this.running = undefined;
      reject(error);
      api[Comlink.releaseProxy]();
      worker.terminate();
    };
    const running: Running = {
      api,
      runs: new RunPort(worker),
      epoch,
      dead,
      worker,
      ready: Promise.resolve(), // the hello, just below: it needs the whole connection
      kill,
      error: undefined,
      busy: 0,
      retiring: false,
    };
    running.ready = this.greet(running);
    return running;
  }

  /** The new worker's hello and facts; or why it never gave them, and then it is killed. */
  private greet(running: Running): Promise<void> {
    const { worker, api, dead, kill } = running;
    const livenessLock = uniqueName();
    const crashed = (why: string) => {
      if (!running.error) this.audit(workerEvent('crashed', why));
      kill(new AirlockError('WORKER_CRASHED', `The worker stopped (${why}); the next call starts a new one`));
    };
    // an uncaught error leaves it in an unknown state; one before its hello is a worker that
    // never started (its script could not be fetched, say): what its URL answers says why
    worker.addEventListener('error', (e) => {
      if (running.started || running.error) return crashed(e.message || 'uncaught error');
      clearTimeout(silent);
      void workerStartError(this.workerUrl && String(this.workerUrl), e.message).then((error) => {
        if (!running.error) this.audit(workerEvent('crashed', error.message));
        kill(error);
      });
    });
    // a worker script that loads but never answers (a wrong workerUrl, say) must not hang the page
    const silent = setTimeout(
      () => crashed(`no answer from the worker script in ${INIT_TIMEOUT_MS / 1000} s`),
      INIT_TIMEOUT_MS,
    );
    const ready = (async () => {
      const facts = unwrap(
        await Promise.race([api.init({ ...this.config, livenessLock }), dead]).finally(() => clearTimeout(silent)),
      );
      running.started = true;
      this.started = facts;
      this.audit(workerEvent('started'));
      const script = workerScriptRequest(facts.scriptUrl, (url) => isAllowedUrl(this.config.policy, url));
      if (script) this.audit(script);
      // the worker holds this lock while it lives; the page gets it when the worker is gone
      void navigator.locks?.request(livenessLock, () => crashed('it exited or was killed'));
    })();
    ready.catch((e: unknown) => kill(e instanceof AirlockError ? e : new AirlockError('WORKER_CRASHED', String(e))));
    return ready;
  }
}
