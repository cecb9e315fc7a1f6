// Resampling to the rate a model takes, in the worker. A windowed-sinc interpolator: when it
// lowers the rate, its low-pass sits below the new Nyquist frequency, so that what lies above it
// (a 48 kHz microphone's 8–24 kHz) does not fold back into the band the model hears. It keeps
// the input it still needs between chunks, so a stream resampled chunk by chunk gives the same
// samples as the whole recording at once.

/** zero crossings of the sinc on each side: a sharp enough cut for 48 → 16 kHz at modest cost */
const HALF_WIDTH = 16;
/** kernel values per input sample in the table (linear interpolation between them) */
const TABLE_STEPS = 128;

function blackman(x: number): number {
  return 0.42 + 0.5 * Math.cos(Math.PI * x) + 0.08 * Math.cos(2 * Math.PI * x);
}

function sinc(x: number): number {
  return x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
}

export class Resampler {
  private readonly ratio: number;
  /** the cut-off, as a fraction of the input's Nyquist frequency */
  private readonly cutoff: number;
  private readonly reach: number;
  /** the kernel at distances 0, 1/TABLE_STEPS, … input samples: no trigonometry per tap */
  private readonly table: Float32Array;
  /** input samples kept, the first of them being input sample `base` */
  private kept = new Float32Array(0);
  private base = 0;
  private next = 0;
  private seen = 0;

  constructor(
    readonly from: number,
    readonly to: number,
  ) {
    this.ratio = from / to;
    this.cutoff = Math.min(1, 1 / this.ratio) * 0.97;
    this.reach = HALF_WIDTH / this.cutoff;
    this.table = new Float32Array(Math.ceil(this.reach * TABLE_STEPS) + 2);
    for (let i = 0; i < this.table.length; i++) {
      const d = Math.min(i / TABLE_STEPS, this.reach);
      this.table[i] = sinc(this.cutoff * d) * blackman(d / this.reach);
    }
  }

  private kernel(distance: number): number {
    const x = Math.abs(distance) * TABLE_STEPS;
    const i = Math.floor(x);
    const f = x - i;
    return this.table[i]! * (1 - f) + this.table[i + 1]! * f;
  }

  /** The output samples `chunk` completes; `last` says no input follows it. */
  push(chunk: Float32Array, last = false): Float32Array {
    if (this.from === this.to) return chunk;
    this.keep(chunk);
    const end = this.base + this.kept.length;
    const count = last
      ? Math.floor(this.seen / this.ratio) - this.next
      : Math.max(0, Math.ceil((end - 1 - this.reach) / this.ratio) - this.next);
    const out = new Float32Array(Math.max(0, count));
    for (let i = 0; i < out.length; i++) out[i] = this.at((this.next + i) * this.ratio);
    this.next += out.length;
    this.drop(Math.floor(this.next * this.ratio - this.reach));
    return out;
  }

  private at(centre: number): number {
    const first = Math.max(this.base, Math.ceil(centre - this.reach));
    const last = Math.min(this.base + this.kept.length - 1, Math.floor(centre + this.reach));
    let sum = 0;
    let weights = 0;
    for (let j = first; j <= last; j++) {
      const w = this.kernel(j - centre);
      sum += this.kept[j - this.base]! * w;
      weights += w;
    }
    // normalised, so that a constant stays constant, at the edges of the audio too
    return weights === 0 ? 0 : sum / weights;
  }

  private keep(chunk: Float32Array): void {
    const all = new Float32Array(this.kept.length + chunk.length);
    all.set(this.kept, 0);
    all.set(chunk, this.kept.length);
    this.kept = all;
    this.seen += chunk.length;
  }

  private drop(before: number): void {
    const n = Math.min(this.kept.length, before - this.base);
    if (n <= 0) return;
    this.kept = this.kept.slice(n);
    this.base += n;
  }
}

/** `samples` at `from` Hz as samples at `to` Hz (the same array when the rates are equal). */
export function resample(samples: Float32Array, from: number, to: number): Float32Array {
  return new Resampler(from, to).push(samples, true);
}
