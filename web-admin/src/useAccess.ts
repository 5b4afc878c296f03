import { createContext, useContext } from 'react';
import { accessOf, type Access } from './access';

export const AccessContext = createContext<Access>(accessOf([]));

/** The acting account's access (src/access.ts), for hiding buttons and pages. */
export function useAccess(): Access {
  return useContext(AccessContext);
}
