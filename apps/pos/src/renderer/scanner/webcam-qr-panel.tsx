// The buyer's QR read from a webcam (A1 "QR (scanner or webcam)", A10): the panel opens the
// remembered camera, decodes continuously, and on the first read stops the camera and asks the
// core (`buyer.identify { qr }`, verified offline). A refusal or a camera problem is shown with
// what to do; the sale screen stays usable around the panel (nothing modal at the till).
import { Alert, Button, Card, Select, Space, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTerminal } from '#renderer/app/terminal-context.tsx';
import type { Buyer } from '#renderer/sale/sale-types.ts';
import { readWebcamSetting, saveWebcamSetting } from './webcam-camera-setting.ts';
import { listCameras, startWebcamQr, type Camera, type WebcamSession } from './webcam-qr-reader.ts';

// Refusals the panel words itself (both languages); any other code shows the core's message.
const REFUSALS = new Set([
  'malformed',
  'unsupported_version',
  'wrong_merchant',
  'bad_server_signature',
  'certificate_expired',
  'bad_phone_signature',
  'stale_window',
  'future_window',
  'replayed',
  'qr_unavailable',
]);

type Phase =
  | { kind: 'starting' }
  | { kind: 'scanning' }
  | { kind: 'checking' }
  | { kind: 'problem'; text: string; code: string };

/** The webcam panel; mounted while open, so unmounting it releases the camera. */
export function WebcamQrPanel({
  onClose,
  onIdentified,
}: {
  onClose: () => void;
  onIdentified: (buyer: Buyer) => void;
}) {
  const { t } = useTranslation();
  const client = useTerminal();
  const videoRef = useRef<HTMLVideoElement>(null);
  // One camera run per number: each gets a new <video> element (keyed), started once it is on
  // screen; leaving the run (retry, another camera, closing) releases its camera.
  const [run, setRun] = useState<{ n: number; deviceId: string | undefined } | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'starting' });
  const [cameras, setCameras] = useState<Camera[]>([]);
  const [cameraId, setCameraId] = useState<string | undefined>(undefined);
  // The sale screen passes a new callback on every render; the camera must not restart for that.
  const identified = useRef(onIdentified);
  useEffect(() => {
    identified.current = onIdentified;
  }, [onIdentified]);

  const identify = useCallback(
    async (text: string) => {
      setPhase({ kind: 'checking' });
      const answer = await client.send('buyer.identify', { qr: text });
      if (answer.ok) return identified.current(answer.value);
      const { code, message } = answer.error;
      setPhase({
        kind: 'problem',
        code,
        text: REFUSALS.has(code) ? t(`webcam.refused.${code}`) : message,
      });
    },
    [client, t],
  );

  const restart = useCallback((deviceId: string | undefined) => {
    setPhase({ kind: 'starting' });
    setRun((current) => ({ n: (current?.n ?? 0) + 1, deviceId }));
  }, []);

  useEffect(() => {
    let cancelled = false;
    void readWebcamSetting(client).then((setting) => {
      if (!cancelled) restart(setting?.deviceId);
    });
    return () => {
      cancelled = true;
    };
  }, [client, restart]);

  useEffect(() => {
    const video = videoRef.current;
    if (!run || !video) return;
    let live = true;
    let read = false;
    let session: WebcamSession | null = null;
    void startWebcamQr(video, run.deviceId, (text) => {
      // One read is enough: the camera goes off before the check, so a code is never read twice.
      if (!live || read) return;
      read = true;
      session?.stop();
      void identify(text);
    }).then(async (started) => {
      if (!started.ok) {
        if (live)
          setPhase({
            kind: 'problem',
            code: started.reason,
            text: t(`webcam.failed.${started.reason}`, { detail: started.detail }),
          });
        return;
      }
      session = started.session;
      if (!live || read) return session.stop();
      setPhase({ kind: 'scanning' });
      const stream = video.srcObject instanceof MediaStream ? video.srcObject : null;
      setCameraId(stream?.getVideoTracks()[0]?.getSettings().deviceId ?? run.deviceId);
      // Labels are readable only now that the page holds a camera.
      const found = await listCameras();
      if (live) setCameras(found);
    });
    return () => {
      live = false;
      session?.stop();
    };
  }, [run, identify, t]);

  const choose = (deviceId: string) => {
    const camera = cameras.find((c) => c.deviceId === deviceId);
    void saveWebcamSetting(client, { deviceId, label: camera?.label ?? '' });
    restart(deviceId);
  };

  const showVideo = phase.kind === 'starting' || phase.kind === 'scanning';
  return (
    <Card
      size="small"
      title={t('webcam.title')}
      data-testid="webcam-panel"
      extra={
        <Button size="small" tabIndex={-1} onClick={onClose} data-testid="webcam-close">
          {t('webcam.close')}
        </Button>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        {cameras.length > 1 && (
          <Select
            style={{ width: '100%' }}
            value={cameraId}
            aria-label={t('webcam.camera')}
            data-testid="webcam-camera"
            options={cameras.map((c) => ({ value: c.deviceId, label: c.label }))}
            onChange={choose}
          />
        )}
        <video
          key={run?.n ?? 0}
          ref={videoRef}
          muted
          playsInline
          data-testid="webcam-video"
          style={{ width: '100%', background: '#000', display: showVideo ? 'block' : 'none' }}
        />
        {phase.kind === 'problem' ? (
          <Alert
            type="error"
            title={phase.text}
            data-testid="webcam-problem"
            data-code={phase.code}
            action={
              <Button size="small" onClick={() => restart(cameraId)} data-testid="webcam-retry">
                {t('webcam.retry')}
              </Button>
            }
          />
        ) : (
          <Typography.Text type="secondary" data-testid="webcam-status">
            {t(`webcam.${phase.kind}`)}
          </Typography.Text>
        )}
      </Space>
    </Card>
  );
}
