// The camera chosen for QR reading is a setting of this workstation (`local.webcam` in the
// core's local settings), so it survives a reload and is shared by every window of the till.
import { z } from 'zod';
import type { TerminalClient } from '#renderer/rpc/terminal-client.ts';

const KEY = 'webcam';
const webcamSettingSchema = z.object({ deviceId: z.string().min(1).max(500), label: z.string().max(500) });

/** The remembered camera. */
export type WebcamSetting = z.infer<typeof webcamSettingSchema>;

/** The remembered camera, or null when none was chosen (or the stored value is not one). */
export async function readWebcamSetting(client: TerminalClient): Promise<WebcamSetting | null> {
  const answer = await client.send('settings.get', {});
  if (!answer.ok) return null;
  const parsed = webcamSettingSchema.safeParse(answer.value.local[KEY]);
  return parsed.success ? parsed.data : null;
}

/** Remembers the camera; a failure to store it is not worth interrupting the sale for. */
export async function saveWebcamSetting(client: TerminalClient, setting: WebcamSetting): Promise<boolean> {
  const answer = await client.send('settings.set', { local: { [KEY]: setting } });
  return answer.ok;
}
