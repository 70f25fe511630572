// The session everyone below the layout reads: who is signed in, what they may do, and the
// formatters for the interface language and the merchant's time zone.
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Permission } from '@loyalty/protocol/api/auth.schema';
import { formattersFor, type Formatters } from '#format/formatters.ts';
import type { Session } from './session-api.ts';

type SessionValue = { session: Session; can: (permission: Permission) => boolean; format: Formatters };

const SessionContext = createContext<SessionValue | null>(null);

/** Provides the signed-in session to the pages. */
export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  const { i18n } = useTranslation();
  const value = useMemo<SessionValue>(() => {
    const granted = new Set(session.permissions);
    return {
      session,
      can: (permission) => granted.has(permission),
      format: formattersFor(i18n.language, session.merchant.timeZone),
    };
  }, [session, i18n.language]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The signed-in session; only pages inside the layout call it. */
export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
