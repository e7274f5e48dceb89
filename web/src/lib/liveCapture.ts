// The microphone for the Live tab: getUserMedia → an AudioContext → an AudioWorklet that hands
// mono float chunks to the page (resampled and encoded by PcmEncoder in live.ts).
import { NoticeError } from './errors';
// A file of its own under /assets, never a data: URL: the page's CSP (script-src 'self') would refuse that.
import workletUrl from './pcm-worklet.js?url&no-inline';

export interface Capture {
  sampleRate: number; // the AudioContext's rate: the chunks' rate
  stop(): void;
}

/** The microphone problem as something a person can act on. */
export function microphoneError(e: unknown): NoticeError {
  const name = e instanceof DOMException || e instanceof Error ? e.name : '';
  if (name === 'NotAllowedError' || name === 'PermissionDeniedError')
    return new NoticeError(
      'Microphone blocked',
      'This page may not use the microphone. Allow it in the site settings (the icon left of the address) and press Start again',
    );
  if (name === 'NotFoundError' || name === 'OverconstrainedError')
    return new NoticeError('No microphone', 'No microphone was found. Connect one and press Start again');
  if (name === 'NotReadableError' || name === 'AbortError')
    return new NoticeError('Microphone busy', 'The microphone could not be opened: another program may be using it');
  if (name === 'SecurityError')
    return new NoticeError('Microphone unavailable here', 'Browsers allow the microphone only on https:// pages or on localhost');
  const msg = e instanceof Error ? e.message : String(e);
  return new NoticeError('Microphone problem', msg || 'The microphone could not be started');
}

/** Opens the microphone; `onChunk` gets mono float samples at `sampleRate`. */
export async function startCapture(onChunk: (samples: Float32Array) => void): Promise<Capture> {
  if (!navigator.mediaDevices?.getUserMedia || typeof AudioWorkletNode === 'undefined')
    throw new NoticeError(
      'Microphone unavailable here',
      'Live transcription needs the microphone, which browsers allow only on https:// pages or on localhost',
    );
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
    });
  } catch (e) {
    throw microphoneError(e);
  }
  const context = new AudioContext({ latencyHint: 'interactive' });
  try {
    await context.audioWorklet.addModule(workletUrl);
    const source = context.createMediaStreamSource(stream);
    const node = new AudioWorkletNode(context, 'vox-capture', { numberOfInputs: 1, numberOfOutputs: 1 });
    node.port.onmessage = (e: MessageEvent<Float32Array>) => onChunk(e.data);
    // Pulled through a silent gain to the output, so every browser keeps running the worklet.
    const mute = context.createGain();
    mute.gain.value = 0;
    source.connect(node);
    node.connect(mute);
    mute.connect(context.destination);
    if (context.state !== 'running') await context.resume();
    let stopped = false;
    return {
      sampleRate: context.sampleRate,
      stop: () => {
        if (stopped) return;
        stopped = true;
        node.port.onmessage = null;
        source.disconnect();
        node.disconnect();
        mute.disconnect();
        stream.getTracks().forEach((t) => t.stop());
        context.close().catch(() => {});
      },
    };
  } catch (e) {
    stream.getTracks().forEach((t) => t.stop());
    context.close().catch(() => {});
    throw e instanceof NoticeError ? e : new NoticeError('Audio problem', `The audio could not be processed: ${e instanceof Error ? e.message : String(e)}`);
  }
}
