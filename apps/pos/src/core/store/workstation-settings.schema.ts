// Local settings the Electron shell reads at start (`src/main/shell-policy.ts`): how the window
// opens and which update channel it follows. The core checks them when written so the settings
// screen and integrations get a Russian answer per field instead of a value the shell would ignore;
// the shell still falls back to its defaults on anything unreadable.
import { z } from 'zod';

/** `window` (an ordinary window), `fullscreen`, or `kiosk` (no way out but Alt+F4). */
export const windowModeSettingSchema = z.enum(['window', 'fullscreen', 'kiosk'], {
  error: 'Режим окна — один из: window (обычное окно), fullscreen (во весь экран), kiosk (киоск)',
});

/** A folder name under the server's `/updates/` (the same rule as the shell's feed URL). */
export const updateChannelSettingSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{0,31}$/,
    'Канал обновлений — латинские строчные буквы, цифры и дефис, с буквы, до 32 знаков (например stable или beta)',
  );
