// Maps a feed address (channel, platform, file name) to a file inside the releases folder. The
// names are checked by pattern first, then the real path must stay inside the folder, so neither
// `..` nor a symbolic link planted in the folder can read anything else on the server.
import { realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import { z } from 'zod';

/** Platforms electron-builder publishes for: Linux (deb, AppImage) and Windows (NSIS). */
export const updatePlatforms = ['linux', 'win'] as const;

/** Extensions of what electron-builder writes into a release: channel files, installers, block maps. */
const allowedExtensions = new Set(['.yml', '.exe', '.appimage', '.deb', '.blockmap']);

/** Path parameters of `GET /updates/:channel/:platform/:file`. */
export const updateFileParamsSchema = z.object({
  channel: z
    .string()
    .regex(
      /^[a-z][a-z0-9-]{0,31}$/,
      'Канал обновлений: латинские строчные буквы, цифры и дефис (например, stable)',
    ),
  platform: z.enum(updatePlatforms, { error: 'Платформа обновлений: linux или win' }),
  file: z
    .string()
    .max(200)
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._ -]*$/,
      'Имя файла обновления: буквы, цифры, точка, дефис, подчёркивание и пробел, без папок',
    )
    .refine((name) => !name.includes('..'), 'Имя файла обновления не может содержать «..»')
    .refine(
      (name) => allowedExtensions.has(extname(name).toLowerCase()),
      'Файл обновления: .yml, .exe, .AppImage, .deb или .blockmap',
    ),
});

/** Validated parameters of a feed request. */
export type UpdateFileParams = z.output<typeof updateFileParamsSchema>;

/** A file of the feed that exists, with what the answer needs. */
export type UpdateFile = { readonly path: string; readonly size: number; readonly contentType: string };

const contentTypeOf = (name: string) =>
  extname(name).toLowerCase() === '.yml' ? 'text/yaml; charset=utf-8' : 'application/octet-stream';

/** The file for `params` under `root`, or null when there is none (or it would leave `root`). */
export async function findUpdateFile(root: string, params: UpdateFileParams): Promise<UpdateFile | null> {
  try {
    const realRoot = await realpath(root);
    const real = await realpath(join(realRoot, params.channel, params.platform, params.file));
    if (!real.startsWith(realRoot + sep)) return null;
    const info = await stat(real);
    if (!info.isFile()) return null;
    return { path: real, size: info.size, contentType: contentTypeOf(params.file) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
