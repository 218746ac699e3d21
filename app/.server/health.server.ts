// GET /healthz: 200 with JSON about the database when it answers, 503 when it does not.
import type { DatabaseHandle } from "@db/client";
import { outboxSummary } from "./mail/outbox.server";

export async function healthReport(handle: DatabaseHandle): Promise<{ status: 200 | 503; body: Record<string, unknown> }> {
  const started = performance.now();
  try {
    await handle.ping();
    const outbox = await outboxSummary();
    return {
      status: 200,
      body: {
        status: "ok",
        database: { kind: handle.kind, reachable: true, latencyMs: Math.round(performance.now() - started) },
        mailOutbox: { pending: outbox.pending ?? 0, failed: outbox.failed ?? 0 },
      },
    };
  } catch {
    return { status: 503, body: { status: "unavailable", database: { kind: handle.kind, reachable: false } } };
  }
}
