// The models loaded in this worker, by handle: one entry per pipeline and per raw session (a
// model with several sessions, such as an OCR model's det and rec, has one entry for each).
import { AirlockError } from '../errors.js';
import type { LoadedModel, SessionInfo } from '../protocol/types.js';
import type { ort } from './engines/ort-env.js';
import type { Pipeline } from './engines/transformers.js';
import { serially } from './serial.js';

/** A loaded model; `release` lets the store evict it again. */
export type Entry =
  | { kind: 'pipeline'; info: LoadedModel; pipe: Pipeline; release: () => void }
  | { kind: 'session'; info: SessionInfo; session: ort.InferenceSession; release: () => void };

type Unnumbered<E> = E extends { info: infer I } ? Omit<E, 'info'> & { info: Omit<I, 'handle'> } : never;

export class Registry {
  private readonly entries = new Map<number, Entry>();
  private next = 1;

  /** Keeps a loaded model under a new handle; returns its info, with the handle. */
  add<E extends Entry>(entry: Unnumbered<E>): E['info'] {
    const numbered = { ...entry, info: { ...entry.info, handle: this.next++ } } as Entry;
    this.entries.set(numbered.info.handle, numbered);
    return numbered.info;
  }

  /** The entry of `handle` if it is of this kind; undefined otherwise. */
  find<K extends Entry['kind']>(handle: number, kind: K): Extract<Entry, { kind: K }> | undefined {
    const entry = this.entries.get(handle);
    return entry?.kind === kind ? (entry as Extract<Entry, { kind: K }>) : undefined;
  }

  get<K extends Entry['kind']>(handle: number, kind: K): Extract<Entry, { kind: K }> {
    const entry = this.find(handle, kind);
    if (!entry) throw new AirlockError('BAD_INPUT', `No loaded ${kind} with handle ${handle} (was it unloaded?)`);
    return entry;
  }

  /** Frees one handle, after the work running on its engine (GPU buffers included). */
  async unload(handle: number): Promise<void> {
    const entry = this.entries.get(handle);
    this.entries.delete(handle);
    try {
      if (entry?.kind === 'pipeline') await serially(() => entry.pipe.dispose());
      if (entry?.kind === 'session') await serially(() => entry.session.release());
    } finally {
      // a failed dispose must not keep the model's in-use lock (no tab could evict it)
      entry?.release();
    }
  }

  infos(): (LoadedModel | SessionInfo)[] {
    return [...this.entries.values()].map((e) => e.info);
  }
}
