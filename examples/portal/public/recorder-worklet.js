// The microphone's samples, posted to the page in chunks of 4096 (the first channel).
/* global AudioWorkletProcessor, registerProcessor */
class Recorder extends AudioWorkletProcessor {
  constructor() {
    super();
    this.chunk = new Float32Array(4096);
    this.filled = 0;
  }
  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (!channel) return true;
    let from = 0;
    while (from < channel.length) {
      const n = Math.min(channel.length - from, this.chunk.length - this.filled);
      this.chunk.set(channel.subarray(from, from + n), this.filled);
      this.filled += n;
      from += n;
      if (this.filled === this.chunk.length) {
        this.port.postMessage(this.chunk, [this.chunk.buffer]);
        this.chunk = new Float32Array(4096);
        this.filled = 0;
      }
    }
    return true;
  }
}
registerProcessor('recorder', Recorder);
