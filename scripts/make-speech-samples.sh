#!/usr/bin/env bash
# Real speech for the speech-detection tests: two sentences spoken by espeak-ng, put between
# silence and noise at known places with sox, and where the speech really is (truth.json, from
# sox's own durations). Needs Debian's espeak-ng and sox; the output is committed.
#   scripts/make-speech-samples.sh [out-dir]   (default test/fixtures/speech)
set -euo pipefail
out="${1:-$(dirname "$0")/../test/fixtures/speech}"
mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

say() { # name text: a sentence at 16 kHz mono, 16 bit, without espeak's own silence at either end
  espeak-ng -v en-us -s 150 -w "$tmp/$1-raw.wav" "$2"
  sox "$tmp/$1-raw.wav" -r 16000 -c 1 -b 16 "$tmp/$1.wav" silence 1 0.01 0.5% reverse silence 1 0.01 0.5% reverse
}
quiet() { sox -n -r 16000 -c 1 -b 16 "$tmp/$1.wav" trim 0 "$2"; }
# steady low noise (no speech): a fan or a hum, at about -34 dBFS
noise() { sox -n -r 16000 -c 1 -b 16 "$tmp/$1.wav" synth "$2" pinknoise vol 0.02; }
seconds() { soxi -D "$tmp/$1.wav"; }

say one "The quick brown fox jumps over the lazy dog."
say two "Please send the report by Friday."
quiet lead 1.0
noise gap 2.0
quiet tail 1.0

sox "$tmp/lead.wav" "$tmp/one.wav" "$tmp/gap.wav" "$tmp/two.wav" "$tmp/tail.wav" "$out/speech-16k.wav"
# the first half at 48 kHz, as a microphone gives it (the worker must resample it): lead,
# sentence one, the noise; its speech is the first entry of the truth
sox "$out/speech-16k.wav" -r 48000 "$out/speech-48k.wav" trim 0 "$(echo "$(seconds lead) + $(seconds one) + $(seconds gap)" | bc)"

lead=$(seconds lead) one=$(seconds one) gap=$(seconds gap) two=$(seconds two) tail=$(seconds tail)
total=$(soxi -D "$out/speech-16k.wav")
node -e '
const [lead, one, gap, two, tail, total] = process.argv.slice(1).map(Number);
const r = (x) => Math.round(x * 1e4) / 1e4;
const speech = [
  { start: r(lead), end: r(lead + one), text: "one" },
  { start: r(lead + one + gap), end: r(lead + one + gap + two), text: "two" },
];
const truth = {
  "speech-16k.wav": { sampleRate: 16000, seconds: r(total), speech },
  "speech-48k.wav": { sampleRate: 48000, seconds: r(lead + one + gap), speech: speech.slice(0, 1) },
  layout: { lead, one, gap, two, tail },
};
console.log(JSON.stringify(truth, null, 2));
' "$lead" "$one" "$gap" "$two" "$tail" "$total" > "$out/truth.json"
echo "wrote $out: $(ls "$out" | tr '\n' ' ')"
