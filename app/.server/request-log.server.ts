// Express middleware (server.ts): gives each request an id and a log context, answers with
// X-Request-Id, and writes one access line when the response is done (docs/decisions/016).
import type { NextFunction, Request, Response } from "express";
import {
  log,
  loggablePath,
  newRequestId,
  runWithRequestContext,
  upstreamIdFrom,
  type RequestContext,
} from "./log.server";

export function requestLogging() {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = performance.now();
    // Our id is always our own; a proxy's id is kept beside it (docs/decisions/016).
    const upstreamId = upstreamIdFrom(req.get("x-request-id"));
    const context: RequestContext = { requestId: newRequestId(), ...(upstreamId ? { upstreamId } : {}) };
    res.setHeader("X-Request-Id", context.requestId);
    let logged = false;
    const done = (aborted: boolean) => {
      if (logged) return;
      logged = true;
      const line = {
        method: req.method,
        // originalUrl: the path as the client asked for it, before any mount point; no query.
        path: loggablePath(req.originalUrl),
        status: res.statusCode,
        ms: Math.round((performance.now() - started) * 10) / 10,
        ...(aborted ? { aborted: true } : {}),
      };
      // The mixin adds reqId and userId from the context, which the request may have filled in.
      runWithRequestContext(context, () => {
        if (res.statusCode >= 500) log.warn(line, "request");
        // A load balancer's health probe every few seconds would drown the log: debug when up.
        else if (line.path === "/healthz" && res.statusCode < 400) log.debug(line, "request");
        else log.info(line, "request");
      });
    };
    res.on("finish", () => done(false));
    res.on("close", () => done(!res.writableFinished));
    runWithRequestContext(context, next);
  };
}
