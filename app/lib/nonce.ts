// The request's Content-Security-Policy nonce, for the inline scripts Remix renders
// (<Scripts>, <ScrollRestoration>). app/entry.server.tsx provides it; in the browser there is
// no provider and the value is undefined (browsers hide nonces from the DOM anyway, and the
// scripts have already run by the time React hydrates). See docs/decisions/020.
import { createContext, useContext } from "react";

export const NonceContext = createContext<string | undefined>(undefined);

export function useNonce() {
  return useContext(NonceContext);
}
