// Continuous QR decoding from a webcam (A10) with @zxing/browser, loaded on first use so the
// till's first screen does not carry the decoder (about 400 KB). The camera is released by
// `stop()`; every way the camera can fail becomes a reason the panel shows, never a throw.
// Only the types are imported statically; the code comes through import() below.
import type * as ZxingBrowser from '@zxing/browser';

/** A camera the browser offers. */
export type Camera = { readonly deviceId: string; readonly label: string };

/** Why the camera could not be started. */
export type CameraFailure = 'unsupported' | 'denied' | 'not_found' | 'busy' | 'failed';

/** A running camera: stop() releases it (idempotent). */
export type WebcamSession = { stop(): void };

type Started = { ok: true; session: WebcamSession } | { ok: false; reason: CameraFailure; detail: string };

/** Maps a getUserMedia (DOMException) failure to what the cashier can do about it. */
export function cameraFailure(error: unknown): CameraFailure {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'not_found';
    case 'NotReadableError':
    case 'AbortError':
      return 'busy';
    default:
      return 'failed';
  }
}

/** The video inputs; labels are empty until the page has been allowed a camera once. */
export async function listCameras(): Promise<Camera[]> {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices
    .filter((d) => d.kind === 'videoinput' && d.deviceId !== '')
    .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `#${i + 1}` }));
}

/**
 * Opens the camera (the given one, or the default when `deviceId` is undefined) into `video` and
 * decodes QR codes continuously; `onText` gets each decoded text. A camera that disappeared
 * since it was remembered falls back to the default one.
 */
export async function startWebcamQr(
  video: HTMLVideoElement,
  deviceId: string | undefined,
  onText: (text: string) => void,
): Promise<Started> {
  if (!navigator.mediaDevices?.getUserMedia)
    return { ok: false, reason: 'unsupported', detail: 'navigator.mediaDevices' };
  let zxing: typeof ZxingBrowser;
  try {
    zxing = await import('@zxing/browser');
  } catch (error) {
    // The decoder's chunk could not be loaded (e.g. the till was updated under a running page).
    return { ok: false, reason: 'failed', detail: error instanceof Error ? error.message : String(error) };
  }
  // QR only: the reader is QRCodeReader; frames without a code just fail to decode and retry.
  const reader = new zxing.BrowserQRCodeReader(undefined, {
    delayBetweenScanAttempts: 100,
    delayBetweenScanSuccess: 500,
  });
  const open = (id: string | undefined) =>
    reader.decodeFromConstraints(
      { audio: false, video: id ? { deviceId: { exact: id } } : true },
      video,
      (result) => {
        if (result) onText(result.getText());
      },
    );
  try {
    let controls;
    try {
      controls = await open(deviceId);
    } catch (error) {
      if (!deviceId || cameraFailure(error) !== 'not_found') throw error;
      controls = await open(undefined);
    }
    let stopped = false;
    return {
      ok: true,
      session: {
        stop() {
          if (stopped) return;
          stopped = true;
          controls.stop();
          video.srcObject = null;
        },
      },
    };
  } catch (error) {
    return { ok: false, reason: cameraFailure(error), detail: error instanceof Error ? error.message : '' };
  }
}
