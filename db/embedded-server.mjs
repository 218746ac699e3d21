// @ts-check
// The embedded database's own process (docs/decisions/022-pglite-off-the-event-loop.md): opens PGlite
// on a data folder and serves it over the PostgreSQL wire protocol with @electric-sql/pglite-socket,
// so the StayWell server talks to it through postgres.js (the production driver) and PGlite's
// queries run here, off the server's event loop. Plain JavaScript so it starts without a loader.
//
// Started by db/client.ts with fork(): it sends { type: "open", dataDir, socketPath?, host? } on
// the IPC channel and gets { type: "ready", path? , port? } or { type: "failed", message } back.
// { type: "close" } (or the parent going away) stops the socket server and closes PGlite cleanly,
// then exits 0. SIGINT/SIGTERM are left to the parent: Ctrl-C reaches the whole process group, and
// the database must stay up until the parent has finished its requests in flight.
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

/** @type {PGlite | undefined} */
let db;
/** @type {PGLiteSocketServer | undefined} */
let server;
let closing = false;

process.on("SIGINT", () => {});
process.on("SIGTERM", () => {});

/** @param {unknown} message */
function send(message) {
  if (process.connected) process.send?.(message);
}

async function close(code = 0) {
  if (closing) return;
  closing = true;
  try {
    await server?.stop();
    // PGlite writes its files on close: this is what keeps the data folder consistent.
    await db?.close();
  } catch (err) {
    process.stderr.write(`embedded database: error while closing: ${err instanceof Error ? err.stack : err}\n`);
    code = 1;
  }
  process.exit(code);
}

/** @param {{ dataDir: string, socketPath?: string, host?: string }} options */
async function open(options) {
  try {
    db = new PGlite({ dataDir: options.dataDir });
    await db.waitReady;
    // One connection at a time: PGlite has one backend session, and the socket server's
    // multiplexer would interleave two clients' extended-protocol messages on it.
    server = options.socketPath
      ? new PGLiteSocketServer({ db, path: options.socketPath, maxConnections: 1 })
      : new PGLiteSocketServer({ db, host: options.host ?? "127.0.0.1", port: 0, maxConnections: 1 });
    await server.start();
    const conn = server.getServerConn();
    send(options.socketPath ? { type: "ready", path: conn } : { type: "ready", port: Number(conn.split(":").pop()) });
  } catch (err) {
    send({ type: "failed", message: err instanceof Error ? err.message : String(err) });
    await close(1);
  }
}

process.on("message", (/** @type {any} */ message) => {
  if (message?.type === "open") void open(message);
  else if (message?.type === "close") void close(0);
});
// The parent is gone (it crashed or was killed): close the database rather than linger.
process.on("disconnect", () => void close(0));
