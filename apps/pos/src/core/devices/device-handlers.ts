// Handlers of the till's devices: what is connected (`devices.list`, for the settings screen) and
// how the configured scanners are doing (`devices.status`). Spread into the terminal's handler map.
import { err, ok } from '@loyalty/core/shared/result';
import { invalidInput, issuesFromZod, type InputIssue } from '@loyalty/core/shared/validation';
import { listHidPosDevices } from '@loyalty/devices/scanner/hid-pos-scanner';
import { listSerialPorts } from '@loyalty/devices/scanner/serial-scanner';
import { z } from 'zod';
import { defineHandler } from '#core/handlers/define-handler.ts';
import type { TerminalContext } from '#core/handlers/terminal-context.ts';
import { printerConfigSchema } from '#core/printing/printer-config.ts';
import { slipSettingsSchema } from '#core/printing/slip-settings.ts';
import type { HandlerResult } from '#core/shared/terminal-error.ts';
import {
  updateChannelSettingSchema,
  windowModeSettingSchema,
} from '#core/store/workstation-settings.schema.ts';
import { scannersSettingSchema } from './scanner-settings.schema.ts';

const empty = z.object({}).strict();

/** The device handlers over one terminal context. */
export function createDeviceHandlers(ctx: TerminalContext) {
  return {
    'devices.list': defineHandler('список устройств', empty, async () => {
      const [serial, hid] = await Promise.all([listSerialPorts(), listHidPosDevices()]);
      return ok({
        serialPorts: serial.ok ? serial.value : [],
        serialProblem: serial.ok ? null : serial.error,
        hidDevices: hid.ok ? hid.value : [],
        hidProblem: hid.ok ? null : hid.error,
      });
    }),

    'devices.status': defineHandler('состояние устройств', empty, () => ok(ctx.devices.status())),
  };
}

const russian = z.locales.ru().localeError;
const deviceSettingSchemas = {
  scanners: scannersSettingSchema,
  printer: printerConfigSchema,
  slip: slipSettingsSchema,
  windowMode: windowModeSettingSchema,
  updateChannel: updateChannelSettingSchema,
} as const;

/**
 * Checks the known keys of a `settings.set { local }` (scanners, printer, slip texts, the shell's
 * window mode and update channel) and answers the values to store with their defaults filled in;
 * other keys pass as they are.
 */
export function checkDeviceSettings(
  local: Readonly<Record<string, unknown>>,
): HandlerResult<Record<string, unknown>> {
  const issues: InputIssue[] = [];
  const checked: Record<string, unknown> = { ...local };
  for (const [key, schema] of Object.entries(deviceSettingSchemas)) {
    const value = local[key];
    // null removes the setting; absent leaves it alone.
    if (value === undefined || value === null) continue;
    const parsed = schema.safeParse(value, { error: russian });
    if (parsed.success) checked[key] = parsed.data;
    else issues.push(...issuesFromZod(parsed.error, ['local', key]));
  }
  if (issues.length > 0) return err(invalidInput('настройки рабочего места', issues));
  return ok(checked);
}
