// The speech/silence decision over a run of frame probabilities: a segment starts at the first
// frame that reaches the positive threshold (with up to `preSpeechPadMs` of the audio before it),
// ends once the probability has stayed below the negative threshold for `redemptionMs` (the end
// includes that time), and counts only with `minSpeechMs` of speech frames in it. The same rules
// as vad-web's FrameProcessor, frame for frame, so that both find the same segments.
import type { VadEvent, VadSettings } from '../../../protocol/vad.js';
import { VAD_FRAME, VAD_RATE } from '../../../shared/vad.js';

const FRAME_SECONDS = VAD_FRAME / VAD_RATE;
const FRAME_MS = FRAME_SECONDS * 1000;

/** Times in whole frames, rounded down, as vad-web counts them. */
function inFrames(settings: VadSettings): { redemption: number; pad: number; minSpeech: number } {
  return {
    redemption: Math.floor(settings.redemptionMs / FRAME_MS),
    pad: Math.floor(settings.preSpeechPadMs / FRAME_MS),
    minSpeech: Math.floor(settings.minSpeechMs / FRAME_MS),
  };
}

const seconds = (frame: number) => Math.round(frame * FRAME_SECONDS * 1e6) / 1e6;

export class SegmentMachine {
  private readonly frames: ReturnType<typeof inFrames>;
  private speaking = false;
  private started = false;
  private redemption = 0;
  /** the frames a segment would start with: the padding, then the speech so far */
  private first = 0;
  private held = 0;
  private speech = 0;

  constructor(private readonly settings: VadSettings) {
    this.frames = inFrames(settings);
  }

  /** Takes frame `index`'s probability; reports a segment's start once it counts, and its end. */
  frame(probability: number, index: number, emit: (event: VadEvent) => void): void {
    const { positiveSpeechThreshold: positive, negativeSpeechThreshold: negative } = this.settings;
    const isSpeech = probability >= positive;
    if (this.held === 0) this.first = index;
    this.held++;
    if (isSpeech) {
      this.speech++;
      this.redemption = 0;
      this.speaking = true;
    }
    if (this.speaking && !this.started && this.speech >= Math.max(1, this.frames.minSpeech)) {
      this.started = true;
      emit({ type: 'speech-start', at: seconds(this.first) });
    }
    if (probability < negative && this.speaking && ++this.redemption >= this.frames.redemption) {
      this.close(index + 1, emit);
    }
    if (!this.speaking) this.keepPadding();
  }

  /** The end of the audio: speech still going ends here. */
  finish(frames: number, emit: (event: VadEvent) => void): void {
    if (this.speaking) this.close(frames, emit);
  }

  private close(endFrame: number, emit: (event: VadEvent) => void): void {
    if (this.speech >= this.frames.minSpeech)
      emit({ type: 'speech-end', start: seconds(this.first), end: seconds(endFrame) });
    // a segment's frames are gone with it: the next one's padding starts after it
    this.speaking = false;
    this.started = false;
    this.redemption = 0;
    this.held = 0;
    this.speech = 0;
  }

  private keepPadding(): void {
    const extra = this.held - this.frames.pad;
    if (extra > 0) {
      this.first += extra;
      this.held -= extra;
    }
    this.speech = 0;
  }
}
