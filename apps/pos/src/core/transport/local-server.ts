// Browser mode and the local integration endpoint (A12): the handler map over HTTP
// (`POST /rpc/:name`) and a WebSocket (`/ws`, `{id, name, args}` -> `{id, result}` plus status
// events), on 127.0.0.1 only, every request carrying the local token.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { TerminalCore } from '#core/terminal-core.ts';
import { TerminalError } from '#core/shared/terminal-error.ts';
import { dispatch } from './dispatch.ts';
import { tokenMatches } from './local-token.ts';
import { serveStatic } from './static-files.ts';

/** Options of the local server. */
export type LocalServerOptions = {
  readonly core: TerminalCore;
  readonly token: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly log?: (message: string) => void;
  /** The renderer build served at `/` (browser mode); none serves only the API. */
  readonly staticDir?: string;
};

/** A listening local server. */
export type LocalServer = { readonly url: string; readonly port: number; close(): Promise<void> };

const HOST = '127.0.0.1';
const MAX_BODY_BYTES = 5 * 1024 * 1024;

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

const problem = (code: string, message: string) => ({ ok: false, error: { code, message } });

function bearer(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : null;
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Starts the server on 127.0.0.1:`port`. */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const { core, token } = options;
  const log = options.log ?? (() => undefined);
  const unauthorized = problem(
    TerminalError.terminalUnauthorized,
    'Нужен локальный токен терминала: заголовок Authorization: Bearer <токен> (для WebSocket — ?token=<токен>). Токен печатается при запуске и лежит в папке данных (local-token).',
  );

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', `http://${HOST}`);
      if (req.method === 'GET' && url.pathname === '/health') return send(res, 200, { ok: true });
      if (
        req.method === 'GET' &&
        options.staticDir &&
        !url.pathname.startsWith('/rpc') &&
        (await serveStatic(options.staticDir, url.pathname, res))
      )
        return;
      if (!tokenMatches(bearer(req), token)) return send(res, 401, unauthorized);
      if (req.method === 'GET' && url.pathname === '/rpc')
        return send(res, 200, { ok: true, value: { handlers: Object.keys(core.handlers) } });
      const match = /^\/rpc\/([a-zA-Z]+\.[a-zA-Z]+)$/.exec(url.pathname);
      if (!match?.[1])
        return send(
          res,
          404,
          problem('not_found', 'Нет такого адреса: команды вызываются как POST /rpc/<команда>.'),
        );
      if (req.method !== 'POST')
        return send(res, 405, problem('method_not_allowed', 'Команды вызываются методом POST.'));
      const text = await readBody(req);
      if (text === null)
        return send(res, 413, problem('payload_too_large', 'Слишком большой запрос (больше 5 МБ).'));
      let args: unknown = {};
      if (text.trim() !== '') {
        try {
          args = JSON.parse(text);
        } catch {
          return send(res, 400, problem(TerminalError.invalidInput, 'Тело запроса — не JSON.'));
        }
      }
      const { result, kind } = await dispatch(core.handlers, match[1], args, log);
      send(res, kind === 'unknown' ? 404 : kind === 'bug' ? 500 : 200, result);
    })().catch((error: unknown) => {
      log(`local server: ${String(error)}`);
      if (!res.headersSent) send(res, 500, problem('internal_error', 'Внутренняя ошибка терминала.'));
    });
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    const presented = url.searchParams.get('token') ?? bearer(req);
    if (url.pathname !== '/ws' || !tokenMatches(presented, token)) {
      socket.end(
        url.pathname !== '/ws' ? 'HTTP/1.1 404 Not Found\r\n\r\n' : 'HTTP/1.1 401 Unauthorized\r\n\r\n',
      );
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws, req));
  });
  sockets.on('connection', (ws: WebSocket) => {
    const unsubscribe = core.ctx.events.subscribe((event) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(event));
    });
    ws.on('close', unsubscribe);
    ws.send(JSON.stringify({ event: 'sync', data: core.ctx.sync.state() }));
    ws.on('message', (data) => {
      void (async () => {
        let message: { id?: unknown; name?: unknown; args?: unknown };
        try {
          const text = Array.isArray(data)
            ? Buffer.concat(data)
            : Buffer.isBuffer(data)
              ? data
              : Buffer.from(new Uint8Array(data));
          message = JSON.parse(text.toString('utf8')) as typeof message;
        } catch {
          return ws.send(
            JSON.stringify({ id: null, result: problem(TerminalError.invalidInput, 'Сообщение — не JSON.') }),
          );
        }
        const id = typeof message.id === 'string' || typeof message.id === 'number' ? message.id : null;
        if (typeof message.name !== 'string')
          return ws.send(
            JSON.stringify({
              id,
              result: problem(TerminalError.invalidInput, 'Сообщение должно быть {id, name, args}.'),
            }),
          );
        const { result } = await dispatch(core.handlers, message.name, message.args ?? {}, log);
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, result }));
      })();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${HOST}:${port}`,
    port,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}
