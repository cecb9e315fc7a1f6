// The worker's speech-detection calls on a loaded Silero session: a whole recording in one call,
// its frame probabilities, and streams whose state lives here between chunks. Each call crosses
// the boundary once, however many 32 ms frames it holds.
import { AirlockError } from '../../../errors.js';
import type { SpeechSegment, VadEvent } from '../../../protocol/vad.js';
import type { WorkerContract } from '../../../protocol/worker-api.js';
import { postAudit } from '../../audit/channel.js';
import { guard } from '../../guard.js';
import { checkSampleRate, checkSamples } from '../../inputs/audio.js';
import type { Registry } from '../../registry.js';
import { audited } from '../../runs.js';
import { serially } from '../../serial.js';
import { Detector } from './detector.js';
import { initialState, sileroStep, type SileroState } from './silero.js';
import { vadSettings } from './settings.js';

type VadCalls = Pick<
  WorkerContract,
  'runVad' | 'vadProbabilities' | 'vadStreamOpen' | 'vadStreamPush' | 'vadStreamClose'
>;

interface Stream {
  handle: number;
  detector: Detector<SileroState>;
}

function segmentsOf(events: VadEvent[]): SpeechSegment[] {
  return events.flatMap((e) => (e.type === 'speech-end' ? [{ start: e.start, end: e.end }] : []));
}

export function vadCalls(models: Registry): VadCalls {
  const streams = new Map<number, Stream>();
  let nextStream = 1;
  const detector = (handle: number, sampleRate: unknown, settings?: object, keep = false) => {
    const entry = models.get(handle, 'session');
    const rate = checkSampleRate(sampleRate);
    const step = sileroStep(entry.session);
    return {
      entry,
      detector: new Detector(step, initialState(), rate, vadSettings(settings), { keepProbabilities: keep }),
    };
  };
  return {
    runVad: (handle, samples, sampleRate, settings, callId) =>
      guard({ callId, unexpected: 'BAD_INPUT' }, (signal) => {
        const { entry, detector: d } = detector(handle, sampleRate, settings);
        checkSamples(samples);
        return audited(postAudit, entry.info.modelId, samples, () =>
          serially(async () => segmentsOf(await d.push(samples, true, signal)), signal),
        );
      }),
    vadProbabilities: (handle, samples, sampleRate, callId) =>
      guard({ callId, unexpected: 'BAD_INPUT' }, (signal) => {
        const { entry, detector: d } = detector(handle, sampleRate, {}, true);
        checkSamples(samples);
        return audited(postAudit, entry.info.modelId, samples, () =>
          serially(async () => (await d.push(samples, true, signal), Float32Array.from(d.probabilities!)), signal),
        );
      }),
    vadStreamOpen: (handle, sampleRate, settings) =>
      guard({ unexpected: 'BAD_INPUT' }, () => {
        const { detector: d } = detector(handle, sampleRate, settings);
        const id = nextStream++;
        streams.set(id, { handle, detector: d });
        return Promise.resolve(id);
      }),
    vadStreamPush: (stream, samples, last, callId) =>
      guard({ callId, unexpected: 'BAD_INPUT' }, (signal) => {
        const s = streams.get(stream);
        if (!s) throw new AirlockError('BAD_INPUT', `No speech-detection stream ${stream} (was it closed?)`);
        const entry = models.get(s.handle, 'session');
        checkSamples(samples, true);
        return audited(postAudit, entry.info.modelId, samples, () =>
          serially(() => s.detector.push(samples, last, signal), signal),
        );
      }),
    vadStreamClose: (stream) =>
      guard({ unexpected: 'BAD_INPUT' }, () => {
        streams.delete(stream);
        return Promise.resolve();
      }),
  };
}
