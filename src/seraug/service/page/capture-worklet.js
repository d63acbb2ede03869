// Audio worklet of the live mode: hands each block of microphone samples (mono, the
// audio context's rate) to the page, which sends them to seraug as 16-bit PCM.
class CaptureProcessor extends AudioWorkletProcessor {
  process(inputs) {
    const input = inputs[0];
    if (input && input.length > 0) this.port.postMessage(input[0].slice(0));
    return true;
  }
}
registerProcessor("seraug-capture", CaptureProcessor);
