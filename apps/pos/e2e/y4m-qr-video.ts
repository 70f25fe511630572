// A webcam picture for Chromium's fake video capture (`--use-file-for-fake-video-capture`): a
// raw YUV4MPEG2 file whose frames show one QR code, drawn from the `qrcode` package's module
// matrix with a white quiet zone on a grey background, as a phone held to the camera.
import { writeFileSync } from 'node:fs';
import zxing from '@zxing/library';
import QRCode, { type QRCodeMaskPattern } from 'qrcode';

const BLACK = 16;
const WHITE = 235;
const GREY = 128;
// The QR standard asks for four modules of light margin around the symbol.
const QUIET_ZONE = 4;
// A phone in a hand is never still: each frame shows the code a little larger or smaller and
// moved. It matters for the test too, since the decoder (zxing-js) misreads a few percent of
// perfectly sharp synthetic codes at any one size; a real camera's frames all differ as well.
const POSES = [
  { scale: 4, dx: 0, dy: 0 },
  { scale: 3, dx: -40, dy: 20 },
  { scale: 5, dx: 10, dy: -6 },
  { scale: 4, dx: 37, dy: 11 },
  { scale: 3, dx: 25, dy: -30 },
  { scale: 5, dx: -13, dy: 5 },
];

const MASKS: readonly QRCodeMaskPattern[] = [0, 1, 2, 3, 4, 5, 6, 7];

/** Whether zxing reads `text` back from a luma plane. */
function readable(luma: Buffer, width: number, height: number, text: string): boolean {
  const { BinaryBitmap, HybridBinarizer, QRCodeReader, RGBLuminanceSource } = zxing;
  const source = new RGBLuminanceSource(new Uint8ClampedArray(luma), width, height);
  try {
    return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source))).getText() === text;
  } catch {
    return false;
  }
}

/**
 * The luma planes (one byte per pixel) of the frames showing `text` as a QR code. Like a phone app
 * may, it tries the encoder's other masks when zxing cannot read any pose of the first one (about
 * 2 % of codes), so the test is about the till reading a camera, not about one unlucky mask.
 */
export function qrFrames(text: string, width = 640, height = 480): Buffer[] {
  const first = posedFrames(text, width, height);
  if (first.some((luma) => readable(luma, width, height, text))) return first;
  for (const maskPattern of MASKS) {
    const frames = posedFrames(text, width, height, maskPattern);
    if (frames.some((luma) => readable(luma, width, height, text))) return frames;
  }
  throw new Error(`zxing reads no rendering of ${text}`);
}

function posedFrames(text: string, width: number, height: number, maskPattern?: QRCodeMaskPattern): Buffer[] {
  const { modules } = QRCode.create(text, {
    errorCorrectionLevel: 'M',
    ...(maskPattern === undefined ? {} : { maskPattern }),
  });
  const side = modules.size + 2 * QUIET_ZONE;
  return POSES.map(({ scale, dx, dy }) => {
    const pixels = side * scale;
    if (pixels + 2 * Math.max(Math.abs(dx), Math.abs(dy)) > Math.min(width, height))
      throw new Error(`a ${modules.size}-module QR at ${scale} px does not fit in ${width}x${height}`);
    const left = Math.floor((width - pixels) / 2) + dx;
    const top = Math.floor((height - pixels) / 2) + dy;
    const luma = Buffer.alloc(width * height, GREY);
    for (let y = 0; y < pixels; y++) {
      for (let x = 0; x < pixels; x++) {
        const row = Math.floor(y / scale) - QUIET_ZONE;
        const col = Math.floor(x / scale) - QUIET_ZONE;
        const inside = row >= 0 && col >= 0 && row < modules.size && col < modules.size;
        luma[(top + y) * width + left + x] = inside && modules.get(row, col) === 1 ? BLACK : WHITE;
      }
    }
    return luma;
  });
}

/** Writes a 4:2:0 YUV4MPEG2 video (10 frames a second, looped by Chromium) showing `text`. */
export function writeQrY4m(path: string, text: string, width = 640, height = 480): void {
  // No colour: both chroma planes at their neutral value.
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`, 'ascii');
  const frames = qrFrames(text, width, height).map((luma) =>
    Buffer.concat([Buffer.from('FRAME\n', 'ascii'), luma, chroma, chroma]),
  );
  writeFileSync(path, Buffer.concat([header, ...frames]));
}
