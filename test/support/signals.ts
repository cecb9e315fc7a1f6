// Deterministic audio test signals at 16 kHz: silence, a pure tone, and a speech-like signal
// (a voiced vowel with formants, pitch drift and syllable-rate envelope, plus a little noise).

export const SAMPLE_RATE = 16_000;

/** mulberry32: a tiny seeded PRNG, so "noise" is the same on every run */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function silence(samples: number): Float32Array {
  return new Float32Array(samples);
}

export function tone(samples: number, hz = 440, amplitude = 0.5): Float32Array {
  return Float32Array.from({ length: samples }, (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / SAMPLE_RATE));
}

export function speechLike(samples: number, seed = 7): Float32Array {
  const rand = prng(seed);
  const out = new Float32Array(samples);
  const formants = [
    [700, 1.0],
    [1200, 0.6],
    [2600, 0.25],
  ] as const;
  let phase = 0;
  for (let i = 0; i < samples; i++) {
    const t = i / SAMPLE_RATE;
    const pitch = 120 + 25 * Math.sin(2 * Math.PI * 1.5 * t);
    phase += (2 * Math.PI * pitch) / SAMPLE_RATE;
    let v = 0;
    // harmonics of the pitch, weighted by how close each is to a formant
    for (let h = 1; h * pitch < 4000; h++) {
      const f = h * pitch;
      const gain = formants.reduce((g, [fc, a]) => g + a / (1 + ((f - fc) / 150) ** 2), 0);
      v += (gain * Math.sin(h * phase)) / h;
    }
    const syllables = 0.5 - 0.5 * Math.cos(2 * Math.PI * 4 * t);
    out[i] = 0.3 * syllables * v + 0.01 * (rand() * 2 - 1);
  }
  return out;
}
