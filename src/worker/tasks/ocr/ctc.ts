// Greedy CTC decoding of the recogniser's output: the best class per time step, repeats merged,
// blanks dropped; the confidence is the mean probability of the characters kept.

/** The recogniser's classes from its dictionary file: blank first, one per line, a space last (as PaddleOCR's use_space_char). */
export function ctcClasses(dictionary: string): string[] {
  return ['', ...dictionary.split(/\r?\n/), ' '];
}

export interface Decoded {
  text: string;
  confidence: number;
}

/** Decodes item `index` of a [N, T, C] probability tensor. */
export function ctcDecode(probs: Float32Array, dims: readonly number[], index: number, classes: string[]): Decoded {
  const [, steps = 0, count = 0] = dims;
  let text = '';
  let sum = 0;
  let kept = 0;
  let previous = -1;
  for (let t = 0; t < steps; t++) {
    const base = (index * steps + t) * count;
    let best = 0;
    for (let c = 1; c < count; c++) if (probs[base + c]! > probs[base + best]!) best = c;
    if (best !== 0 && best !== previous) {
      text += classes[best] ?? '';
      sum += probs[base + best]!;
      kept++;
    }
    previous = best;
  }
  return { text, confidence: kept === 0 ? 0 : sum / kept };
}
