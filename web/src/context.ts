import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { AuthNext, Me } from './api.ts';

export interface Flash {
  tone: 'info' | 'success' | 'warning' | 'error';
  text: string;
}

export interface AppActions {
  /** The person, once signed in. */
  me: Me | null;
  /** The server answered a sign-in step with `next`. */
  advance: (next: AuthNext) => Promise<void>;
  /** Forget the session locally and show the login page with an optional message. */
  signedOut: (flash?: Flash) => void;
  /** Ask the server to end this session, then show the login page. */
  signOut: () => Promise<void>;
  /** Reload /me (after a change to one's own account). */
  refreshMe: () => Promise<void>;
}

export const AppContext = createContext<AppActions | null>(null);

export function useApp(): AppActions {
  const value = useContext(AppContext);
  if (value === null) throw new Error('useApp outside <App>');
  return value;
}
