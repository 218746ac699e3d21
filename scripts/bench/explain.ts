// The EXPLAIN (ANALYZE, BUFFERS) of the slowest statement of one request, taken with auto_explain
// (set on the bench's own database only, and reset afterwards) from the local PostgreSQL server's log.
import { accessSync, closeSync, constants, existsSync, openSync, readSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import type postgres from "postgres";

function postgresLogFile(current: string | null): string | undefined {
  if (current && existsSync(current)) return current;
  const dir = "/var/log/postgresql";
  if (!existsSync(dir)) return undefined;
  const logs = readdirSync(dir)
    .filter((f) => f.endsWith(".log"))
    .map((f) => path.join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return logs[0];
}

function readFrom(file: string, offset: number): string {
  const fd = openSync(file, "r");
  try {
    const size = statSync(file).size;
    const buf = Buffer.alloc(Math.max(0, size - offset));
    readSync(fd, buf, 0, buf.length, offset);
    return buf.toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/**
 * `run(mark)` starts a server (after the settings are in place, so its connections load
 * auto_explain), warms the route, calls `mark()` just before the one request whose plans are
 * read, and resolves with that request's time in ms. Returns the report as text.
 */
export async function explainSlowest(
  admin: postgres.Sql,
  dbName: string,
  databaseUrl: string,
  route: string,
  run: (mark: () => Promise<void>) => Promise<number>,
): Promise<string> {
  const serverHost = new URL(databaseUrl).hostname;
  if (!["127.0.0.1", "localhost", "::1"].includes(serverHost))
    return `(skipped: the PostgreSQL log of ${serverHost} cannot be read from here)`;
  const [{ logfile }] = (await admin`select pg_current_logfile() as logfile`) as unknown as [
    { logfile: string | null },
  ];
  const file = postgresLogFile(logfile);
  if (!file) return "(skipped: cannot find the PostgreSQL server log)";
  try {
    accessSync(file, constants.R_OK);
  } catch (err) {
    return `(skipped: cannot read ${file}: ${(err as Error).message})`;
  }
  const db = `"${dbName}"`;
  try {
    for (const setting of [
      `session_preload_libraries = 'auto_explain'`,
      `auto_explain.log_min_duration = 0`,
      `auto_explain.log_analyze = on`,
      `auto_explain.log_buffers = on`,
      `auto_explain.log_nested_statements = on`,
    ]) {
      await admin.unsafe(`alter database ${db} set ${setting}`);
    }
    let offset = 0;
    const ms = await run(async () => {
      await new Promise((r) => setTimeout(r, 300));
      offset = statSync(file).size;
    });
    await new Promise((r) => setTimeout(r, 500)); // let the log catch up
    const entries: { duration: number; text: string }[] = [];
    let current: { duration: number; lines: string[] } | undefined;
    const marker = `@${dbName} LOG:  duration: `;
    for (const line of readFrom(file, offset).split("\n")) {
      const at = line.indexOf(marker);
      if (at >= 0 && line.includes(" plan:")) {
        if (current) entries.push({ duration: current.duration, text: current.lines.join("\n") });
        current = { duration: Number.parseFloat(line.slice(at + marker.length)), lines: [] };
      } else if (current && line.startsWith("\t")) {
        current.lines.push(line.slice(1));
      } else if (current) {
        entries.push({ duration: current.duration, text: current.lines.join("\n") });
        current = undefined;
      }
    }
    if (current) entries.push({ duration: current.duration, text: current.lines.join("\n") });
    if (entries.length === 0)
      return `(no plans found in ${file} for ${dbName}: is auto_explain available on the server?)`;
    entries.sort((a, b) => b.duration - a.duration);
    const total = entries.reduce((s, e) => s + e.duration, 0);
    return (
      `GET ${route} took ${ms.toFixed(1)} ms with auto_explain on; ${entries.length} statements, ${total.toFixed(1)} ms in the database. ` +
      `Slowest (${entries[0]!.duration.toFixed(1)} ms; log ${file}):\n\n${entries[0]!.text}` +
      (entries.length > 1
        ? `\n\nNext slowest: ${entries
            .slice(1, 6)
            .map((e) => `${e.duration.toFixed(1)} ms`)
            .join(", ")}`
        : "")
    );
  } finally {
    await admin.unsafe(`alter database ${db} reset all`);
  }
}
