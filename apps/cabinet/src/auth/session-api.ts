// Sign in, sign out, who am I, password change and reset by link: /api/v1/auth/* with the
// protocol's schemas.
import type { z } from 'zod';
import {
  sessionSchema,
  type loginRequestSchema,
  type passwordChangeSchema,
  type passwordResetRequestSchema,
  type passwordResetSchema,
} from '@loyalty/protocol/api/auth.schema';
import { api, apiNoContent, isApiFailure, setCsrfToken } from '#api/http-client.ts';

/** The signed-in user, the merchant, the CSRF token and the role's permissions. */
export type Session = z.output<typeof sessionSchema>;

export const sessionQueryKey = ['session'] as const;

/** The current session, or null when nobody is signed in. */
export async function fetchSession(): Promise<Session | null> {
  try {
    const session = await api(sessionSchema, 'GET', '/auth/me');
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (isApiFailure(error) && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

/** Signs in; the server sets the httpOnly session cookie. */
export async function login(body: z.input<typeof loginRequestSchema>): Promise<Session> {
  const session = await api(sessionSchema, 'POST', '/auth/login', body);
  setCsrfToken(session.csrfToken);
  return session;
}

/** Signs out and forgets the CSRF token. */
export async function logout(): Promise<void> {
  await apiNoContent('POST', '/auth/logout');
  setCsrfToken(null);
}

/** Changes the password; the server ends the user's other sessions. */
export async function changePassword(body: z.input<typeof passwordChangeSchema>): Promise<void> {
  await apiNoContent('POST', '/auth/password', body);
}

/** "Forgot password": the server mails a link if the e-mail is a user's, and answers the same either way. */
export async function requestPasswordReset(body: z.input<typeof passwordResetRequestSchema>): Promise<void> {
  await apiNoContent('POST', '/auth/password-reset-request', body);
}

/** Sets a new password with the token from the mailed link; the user's sessions end. */
export async function resetPassword(body: z.input<typeof passwordResetSchema>): Promise<void> {
  await apiNoContent('POST', '/auth/password-reset', body);
}
