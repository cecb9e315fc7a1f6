// Runs of loaded models: their inputs checked, queued behind other engine work, and recorded in
// the audit trail by size and time (never their data).
import type { AuditSink } from '../protocol/audit-events.js';
import { AUDIO_TASKS, GENERATING_TASKS, TEXT_TASKS } from '../protocol/tasks.js';
import type { TensorData } from '../protocol/types.js';
import { ran } from './audit/events.js';
import { throwIfAborted } from './calls.js';
import { generationExtras, toTransformersOptions } from './engines/generation.js';
import { runSession } from './engines/sessions.js';
import { listeningFor } from './engines/yield.js';
import { toPlain } from './engines/tensors.js';
import type { CallContext } from './guard.js';
import { checkAudioInput, checkFeeds, checkTextCall } from './inputs.js';
import { audioAtModelRate } from './inputs/audio-pipeline.js';
import type { Entry } from './registry.js';
import { serially } from './serial.js';
import { byteSize } from './sizes.js';

/** Runs a model call and records its sizes and time. */
export async function audited<T>(emit: AuditSink, modelId: string, input: unknown, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const record = (ok: boolean, output: unknown) =>
    emit(
      ran({
        modelId,
        inputBytes: byteSize(input),
        outputBytes: byteSize(output),
        durationMs: Math.round(performance.now() - started),
        ok,
      }),
    );
  try {
    const output = await run();
    record(true, output);
    return output;
  } catch (e) {
    record(false, undefined);
    throw e;
  }
}

export interface PipelineCall {
  args: unknown[];
  options: Record<string, unknown>;
  signal: AbortSignal | undefined;
  ctx: CallContext;
  maxTextLength: number;
}

/** A pipeline on its positional arguments (the input; for some tasks more) and options. */
export async function runPipelineCall(
  entry: Extract<Entry, { kind: 'pipeline' }>,
  call: PipelineCall,
): Promise<unknown> {
  const { task, modelId } = entry.info;
  const { signal, ctx } = call;
  const { args, options } = AUDIO_TASKS.has(task)
    ? audioAtModelRate(entry.pipe, call.args, call.options)
    : { args: call.args, options: call.options };
  if (TEXT_TASKS.has(task)) checkTextCall(args, call.maxTextLength);
  if (AUDIO_TASKS.has(task)) checkAudioInput(args[0]);
  const run = entry.pipe as unknown as (...args: unknown[]) => Promise<unknown>;
  const onText = ctx.events && ((text: string) => ctx.events!({ type: 'text', text }));
  const generation = GENERATING_TASKS.has(task) ? generationExtras(entry.pipe, signal, onText) : undefined;
  const what = `The call to "${modelId}"`;
  const output = await serially(() => {
    throwIfAborted(signal, what);
    return listeningFor(signal, () => run(...args, { ...toTransformersOptions(options), ...generation?.options }));
  }, signal);
  throwIfAborted(signal, what, generation && { tokens: generation.tokens() });
  return toPlain(output);
}

export function runSessionCall(
  entry: Extract<Entry, { kind: 'session' }>,
  feeds: Record<string, TensorData>,
  signal: AbortSignal | undefined,
): Promise<Record<string, TensorData>> {
  const { session } = entry;
  checkFeeds(feeds, session.inputNames, session.inputMetadata);
  return serially(() => {
    throwIfAborted(signal, 'The session run');
    return runSession(session, feeds);
  }, signal);
}
