// The request path of server.ts, for tests that must see what the SERVER does with a request —
// its log lines above all — rather than what one loader returns: express with the same
// requestLogging() middleware, and Remix's own request handler (single fetch, the app's
// entry.server with its handleError) over a build holding the routes the test names.
// Requests go to `<path>.data` (a single-fetch data request), so no page is rendered and no
// asset manifest is needed; everything from the action down is the real thing.
//
//   const server = await startPipeline({ "routes/signup": { path: "signup", module: signupRoute } });
//   const res = await server.post("/signup.data", { email: … });
//   await server.close();
import type { AddressInfo } from "node:net";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import * as entryServer from "~/entry.server";
import { requestLogging } from "~/.server/request-log.server";
import { appOrigin, type FormFields } from "./http";

export interface PipelineRoute {
  path: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  module: any;
}

export interface Pipeline {
  url: string;
  post(path: string, fields: FormFields, headers?: Record<string, string>): Promise<Response>;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

function buildOf(routes: Record<string, PipelineRoute>): ServerBuild {
  const routeEntries: ServerBuild["routes"] = {
    // A root without a loader (the test's routes run on their own) and, like the app's, with an
    // error boundary.
    root: { id: "root", path: "", module: { default: () => null, ErrorBoundary: () => null } as never },
  };
  for (const [id, route] of Object.entries(routes)) {
    routeEntries[id] = { id, parentId: "root", path: route.path, module: route.module };
  }
  return {
    mode: "production",
    entry: { module: entryServer as never },
    routes: routeEntries,
    assets: {
      version: "test",
      url: "/assets/manifest.js",
      entry: { module: "/entry.js", imports: [] },
      routes: {
        root: {
          id: "root",
          path: "",
          module: "/root.js",
          hasAction: false,
          hasLoader: false,
          hasClientAction: false,
          hasClientLoader: false,
          hasErrorBoundary: true,
        },
      },
    } as never,
    assetsBuildDirectory: "build/client",
    publicPath: "/",
    future: {
      v3_fetcherPersist: true,
      v3_relativeSplatPath: true,
      v3_throwAbortReason: true,
      v3_singleFetch: true,
      v3_lazyRouteDiscovery: true,
      v3_routeConfig: true,
    } as never,
    isSpaMode: false,
    basename: undefined,
  } as unknown as ServerBuild;
}

export async function startPipeline(routes: Record<string, PipelineRoute>): Promise<Pipeline> {
  const app = express();
  app.use(requestLogging());
  app.all("*", createRequestHandler({ build: buildOf(routes), mode: "production" }));
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    post(path, fields, headers = {}) {
      const body = new URLSearchParams();
      for (const [name, value] of Object.entries(fields)) {
        if (value === undefined || value === null || value === false) continue;
        if (Array.isArray(value)) for (const v of value) body.append(name, v);
        else body.append(name, value === true ? "on" : String(value));
      }
      return fetch(url + path, {
        method: "POST",
        // As behind the proxy: the browser's Origin is APP_URL's, and so is the forwarded host
        // Remix compares it with.
        headers: {
          Origin: appOrigin(),
          "X-Forwarded-Host": new URL(appOrigin()).host,
          "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8",
          ...headers,
        },
        body: body.toString(),
        redirect: "manual",
      });
    },
    get(path, headers = {}) {
      return fetch(url + path, { headers, redirect: "manual" });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
