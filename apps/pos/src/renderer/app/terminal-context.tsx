// The connected terminal client and formatters, shared by every screen.
import { createContext, useContext } from 'react';
import type { TerminalClient } from '#renderer/rpc/terminal-client.ts';

export const TerminalContext = createContext<TerminalClient | null>(null);

/** The terminal client of this window. */
export function useTerminal(): TerminalClient {
  const client = useContext(TerminalContext);
  if (!client) throw new Error('useTerminal outside <TerminalContext>');
  return client;
}
