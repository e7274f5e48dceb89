// The Live tab's AudioWorklet (loaded from this file, bundled under /assets: the page's CSP
// allows only its own scripts). It mixes the microphone down to mono and posts Float32 chunks
// of about 40 ms to the page, which resamples them and sends them to the server.
class VoxCapture extends AudioWorkletProcessor {
  constructor() {
    super();
    this.size = Math.max(128, Math.round(sampleRate * 0.04));
    this.buf = new Float32Array(this.size);
    this.filled = 0;
  }

  process(inputs) {
    const channels = inputs[0];
    if (channels && channels.length) {
      const n = channels[0].length;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let c = 0; c < channels.length; c++) s += channels[c][i];
        this.buf[this.filled++] = s / channels.length;
        if (this.filled === this.size) {
          this.port.postMessage(this.buf, [this.buf.buffer]);
          this.buf = new Float32Array(this.size);
          this.filled = 0;
        }
      }
    }
    return true;
  }
}

registerProcessor('vox-capture', VoxCapture);
