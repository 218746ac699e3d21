// Remix's default browser entry (@remix-run/dev config/defaults/entry.client.tsx), plus one line
// for the Content-Security-Policy (docs/decisions/018): zod compiles fast parsers with
// `new Function` when it can, and its probe for that is an eval the policy refuses (no
// 'unsafe-eval'): caught by zod, but still reported as a CSP violation. jitless skips the probe.
import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { z } from "zod";

z.config({ jitless: true });

startTransition(() => {
  hydrateRoot(
    document,
    <StrictMode>
      <RemixBrowser />
    </StrictMode>,
  );
});
