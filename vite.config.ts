import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";
import { precompressAssets } from "./scripts/precompress-assets";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  plugins: [
    remix({
      // Every v3 flag on, so the move to React Router v7 is a codemod (docs/decisions/001).
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
        v3_routeConfig: true,
      },
    }),
    tsconfigPaths(),
    // build/client/assets/*.br and *.gz, served by precompressedStatic() (ADR 020, ADR 023).
    precompressAssets(),
  ],
  server: { hmr: { port: 24679 } },
});
