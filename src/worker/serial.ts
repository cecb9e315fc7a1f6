// One onnxruntime-web per worker, and it does not take overlapping work: two WebGPU sessions
// may not be created at once ("another WebGPU EP inference session is being created"), and
// runs must not interleave. Every session creation and every run goes through this queue.

let tail: Promise<unknown> = Promise.resolve();

export function serially<T>(work: () => Promise<T>): Promise<T> {
  const result = tail.then(work, work);
  tail = result.catch(() => undefined);
  return result;
}
