// Speech detection over audio at any accepted rate: resampled to 16 kHz, cut into Silero's
// frames, scored, and turned into segments; all of it stays in the worker between a stream's
// chunks (the resampler's tail, the frame context, the model's state, the segment in progress).
import type { VadEvent, VadSettings } from '../../../protocol/vad.js';
import { VAD_RATE } from '../../../shared/vad.js';
import { throwIfAborted } from '../../calls.js';
import { yieldToEventLoop } from '../../engines/yield.js';
import { Framer, type VadStep } from './frames.js';
import { Resampler } from './resample.js';
import { SegmentMachine } from './segments.js';

/** frames between two turns of the event loop (about 1 s of audio), so that an abort gets in */
const FRAMES_PER_TURN = 32;

export class Detector<S> {
  private readonly resampler: Resampler;
  private readonly framer: Framer<S>;
  private readonly machine: SegmentMachine;
  private signal: AbortSignal | undefined;
  /** each frame's probability, when asked for (tests compare them with a reference) */
  readonly probabilities: number[] | undefined;

  constructor(
    step: VadStep<S>,
    state: S,
    sampleRate: number,
    settings: VadSettings,
    options: { withContext?: boolean; keepProbabilities?: boolean } = {},
  ) {
    let steps = 0;
    const paced: VadStep<S> = async (input, s) => {
      if (++steps % FRAMES_PER_TURN === 0) {
        await yieldToEventLoop();
        throwIfAborted(this.signal, 'The speech detection');
      }
      return step(input, s);
    };
    this.resampler = new Resampler(sampleRate, VAD_RATE);
    this.framer = new Framer(paced, state, options.withContext ?? true);
    this.machine = new SegmentMachine(settings);
    if (options.keepProbabilities) this.probabilities = [];
  }

  /** The events that `samples` (at the stream's rate) bring about; `last` ends the audio. */
  async push(samples: Float32Array, last: boolean, signal?: AbortSignal): Promise<VadEvent[]> {
    this.signal = signal;
    throwIfAborted(signal, 'The speech detection');
    const events: VadEvent[] = [];
    const emit = (e: VadEvent) => events.push(e);
    await this.framer.push(this.resampler.push(samples, last), (p, index) => {
      this.probabilities?.push(p);
      this.machine.frame(p, index, emit);
    });
    if (last) this.machine.finish(this.framer.frames, emit);
    return events;
  }
}
