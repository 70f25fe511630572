// Seeds data the way an integrator would: through the REST API with a signed-in session.
import type { FastifyInstance } from 'fastify';
import { PASSWORD } from './cabinet-harness.ts';

/** Requests as a signed-in user; a non-2xx answer throws with the body. */
export type ApiSession = <T>(method: string, url: string, body?: unknown) => Promise<T>;

/** Signs `email` in and answers a request function carrying its cookie and CSRF token. */
export async function apiSession(app: FastifyInstance, email: string): Promise<ApiSession> {
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password: PASSWORD },
  });
  if (login.statusCode !== 200) throw new Error(`sign-in failed: ${login.body}`);
  const sid = login.cookies.find((c) => c.name === 'sid')?.value ?? '';
  const { csrfToken } = login.json<{ csrfToken: string }>();
  return async <T>(method: string, url: string, body?: unknown) => {
    const response = await app.inject({
      method: method as 'GET',
      url,
      cookies: { sid },
      headers: { 'x-csrf-token': csrfToken },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    if (response.statusCode >= 300)
      throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
    return response.json<T>();
  };
}
