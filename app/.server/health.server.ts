// GET /healthz: whether the service is up, for load balancers and monitors. Anonymous callers get
// only { status: "ok" } (200) or { status: "unavailable" } (503, the database does not answer).
// A signed-in administrator (permission module: admin:manage) also gets the database's kind and
// latency and the mail outbox's pending and failed counts (failed mail: /admin/mail).
import type { DatabaseHandle } from "@db/client";
import { getOptionalUser } from "./auth/session.server";
import { outboxSummary } from "./mail/outbox.server";
import { can } from "./permissions.server";

export interface HealthReport {
  status: 200 | 503;
  body: Record<string, unknown>;
}

/** `cookieHeader`: the request's Cookie header, to recognise an administrator. */
export async function healthReport(handle: DatabaseHandle, cookieHeader?: string | null): Promise<HealthReport> {
  const started = performance.now();
  try {
    await handle.ping();
  } catch {
    return { status: 503, body: { status: "unavailable" } };
  }
  const latencyMs = Math.round(performance.now() - started);
  if (!(await isAdministrator(cookieHeader))) return { status: 200, body: { status: "ok" } };
  try {
    const outbox = await outboxSummary();
    return {
      status: 200,
      body: {
        status: "ok",
        database: { kind: handle.kind, reachable: true, latencyMs },
        mailOutbox: { pending: outbox.pending ?? 0, failed: outbox.failed ?? 0 },
      },
    };
  } catch {
    return { status: 503, body: { status: "unavailable", database: { kind: handle.kind, reachable: false } } };
  }
}

async function isAdministrator(cookieHeader: string | null | undefined): Promise<boolean> {
  if (!cookieHeader) return false;
  try {
    const user = await getOptionalUser(
      new Request("http://staywell.invalid/healthz", { headers: { Cookie: cookieHeader } }),
    );
    return can(user, "admin:manage");
  } catch {
    return false; // an unreadable cookie or a failed lookup: answered as for anyone
  }
}
