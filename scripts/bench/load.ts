// The bench's load: N keep-alive connections each sending GETs back to back, a page interleaved
// with its bare route in short alternating slices (so noise from whatever else the machine is
// doing falls on both alike), and a separate single-connection pass for "p95 when run alone".
// node:http rather than fetch: the client shares the machine's 2 cores with the server, and fetch
// costs several times more CPU per request.
import http from "node:http";

/** What a browser over HTTPS asks for; the body is counted as sent, never decoded (client CPU). */
export const ACCEPT_ENCODING = "gzip, deflate, br";

/** An expected failure (a page not answering 200, a server that does not start): no stack trace. */
export class BenchError extends Error {}

export interface Sample {
  ms: number;
  status: number;
}

export class Client {
  readonly agent: http.Agent;
  constructor(
    readonly baseURL: string,
    connections: number,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  }

  /**
   * One request; resolves with status, headers and the (undecoded) body. A keep-alive socket the
   * server closed as idle just as it was reused (ECONNRESET before any answer) is retried once on
   * a fresh one, as Node's documentation advises; any other error fails.
   */
  async request(
    pathname: string,
    o: { cookie?: string; method?: string; body?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer; ms: number }> {
    try {
      return await this.requestOnce(pathname, o);
    } catch (err) {
      if (!(err as { reusedSocket?: boolean }).reusedSocket) throw err;
      return this.requestOnce(pathname, o);
    }
  }

  private requestOnce(
    pathname: string,
    o: { cookie?: string; method?: string; body?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer; ms: number }> {
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { "Accept-Encoding": ACCEPT_ENCODING, ...o.headers };
      if (o.cookie) headers.Cookie = o.cookie;
      if (o.body !== undefined) headers["Content-Length"] = String(Buffer.byteLength(o.body));
      const req = http.request(
        new URL(pathname, this.baseURL),
        { method: o.method ?? "GET", headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks),
              ms: performance.now() - started,
            }),
          );
          res.on("error", reject);
        },
      );
      req.setTimeout(o.timeoutMs ?? 120_000, () =>
        req.destroy(new BenchError(`GET ${pathname} took over ${(o.timeoutMs ?? 120_000) / 1000} s`)),
      );
      req.on("error", (err) => {
        if (req.reusedSocket && (err as NodeJS.ErrnoException).code === "ECONNRESET")
          Object.assign(err, { reusedSocket: true });
        reject(err);
      });
      if (o.body !== undefined) req.write(o.body);
      req.end();
    });
  }

  /** A timed GET that must answer 200. */
  async get(pathname: string, cookie: string): Promise<number> {
    const res = await this.request(pathname, { cookie, headers: { "Accept-Encoding": ACCEPT_ENCODING } });
    if (res.status !== 200) {
      const location = res.headers.location;
      throw new BenchError(
        `GET ${pathname} answered ${res.status}${location ? ` (Location: ${location})` : ""}, not 200.` +
          (res.headers["content-encoding"] ? "" : ` Body starts:\n${res.body.toString("utf8").slice(0, 300)}`),
      );
    }
    return res.ms;
  }

  close() {
    this.agent.destroy();
  }
}

export interface Measured {
  requests: number;
  seconds: number;
  times: number[];
}

export const reqPerSec = (m: Measured) => m.requests / Math.max(m.seconds, 1e-9);

export function percentile(times: number[], q: number): number {
  if (times.length === 0) return NaN;
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

/**
 * `connections` workers GET `pathname` back to back until `ms` has passed (or, with `count`, until
 * that many requests were sent); each finishes the request it has in flight, so the slice lasts
 * until the last one ends (slow pages are not cut short).
 */
async function slice(
  client: Client,
  pathname: string,
  cookie: string,
  connections: number,
  ms: number,
  count: number | undefined,
  into: Measured,
) {
  const started = performance.now();
  const deadline = started + ms;
  let left = count ?? Infinity;
  const worker = async () => {
    while (count === undefined ? performance.now() < deadline : left-- > 0) {
      into.times.push(await client.get(pathname, cookie));
      into.requests++;
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  into.seconds += (performance.now() - started) / 1000;
}

export interface PairResult {
  page: Measured;
  bare: Measured;
}

/**
 * The page and the bare route (same cookie) in `slices` alternating slices each, `seconds` (or
 * `requests`) in all per route, after a short warm-up of both; the order alternates so neither always goes first.
 */
export async function interleave(
  client: Client,
  o: {
    page: string;
    bare: string;
    cookie: string;
    connections: number;
    seconds: number;
    slices: number;
    requests?: number;
  },
): Promise<PairResult> {
  for (const p of [o.page, o.bare])
    await Promise.all(Array.from({ length: Math.min(o.connections, 4) }, () => client.get(p, o.cookie)));
  const page: Measured = { requests: 0, seconds: 0, times: [] };
  const bare: Measured = { requests: 0, seconds: 0, times: [] };
  const sliceMs = (o.seconds * 1000) / o.slices;
  const sliceCount = o.requests === undefined ? undefined : Math.max(1, Math.round(o.requests / o.slices));
  for (let i = 0; i < o.slices; i++) {
    const order: [string, Measured][] = [
      [o.page, page],
      [o.bare, bare],
    ];
    if (i % 2 === 1) order.reverse();
    for (const [p, m] of order) await slice(client, p, o.cookie, o.connections, sliceMs, sliceCount, m);
  }
  return { page, bare };
}

/** One connection, one request at a time: `requests` GETs after 2 warm-ups, or fewer if `maxSeconds` runs out (at least 5). */
export async function alone(
  client: Client,
  pathname: string,
  cookie: string,
  requests: number,
  maxSeconds: number,
): Promise<Measured> {
  for (let i = 0; i < 2; i++) await client.get(pathname, cookie);
  const m: Measured = { requests: 0, seconds: 0, times: [] };
  const started = performance.now();
  while (m.requests < requests && (m.requests < 5 || performance.now() - started < maxSeconds * 1000)) {
    m.times.push(await client.get(pathname, cookie));
    m.requests++;
  }
  m.seconds = (performance.now() - started) / 1000;
  return m;
}
