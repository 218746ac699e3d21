// Requests for calling Remix loaders and actions directly in integration tests:
//
//   const cookie = await signInCookie(user.id);
//   const res = await action({ request: formRequest("/support/x/request", { ... }, { cookie }), params, context: {} });
import { startSession } from "~/.server/auth/lucia.server";

/** The app's origin in tests (tests/helpers/setup.ts sets APP_URL). */
export function appOrigin() {
  return new URL(process.env.APP_URL ?? "http://localhost:3000").origin;
}

export function appUrl(path: string) {
  return new URL(path, appOrigin()).toString();
}

export interface RequestOptions {
  /** Cookie header value, e.g. from signInCookie(). */
  cookie?: string;
  headers?: Record<string, string>;
  /** Origin header for non-GET requests; default the app's own (pass null to send none). */
  origin?: string | null;
}

function buildHeaders(method: string, options: RequestOptions) {
  const headers = new Headers(options.headers);
  if (options.cookie) headers.set("Cookie", options.cookie);
  if (method !== "GET" && method !== "HEAD") {
    const origin = options.origin === undefined ? appOrigin() : options.origin;
    if (origin !== null) headers.set("Origin", origin);
  }
  return headers;
}

export function getRequest(path: string, options: RequestOptions = {}) {
  return new Request(appUrl(path), { method: "GET", headers: buildHeaders("GET", options) });
}

export type FormFields = Record<string, string | number | boolean | null | undefined | ReadonlyArray<string>>;

/** A form POST as a browser without JavaScript sends it (application/x-www-form-urlencoded). */
export function formRequest(path: string, fields: FormFields, options: RequestOptions & { method?: string } = {}) {
  const method = options.method ?? "POST";
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || value === null || value === false) continue;
    if (Array.isArray(value)) for (const v of value) body.append(name, v);
    else body.append(name, value === true ? "on" : String(value));
  }
  const headers = buildHeaders(method, options);
  headers.set("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8");
  return new Request(appUrl(path), { method, headers, body: body.toString() });
}

/** Starts a real session for the user and returns the Cookie header value (`staywell_session=…`). */
export async function signInCookie(userId: string) {
  return cookieFromSetCookie(await startSession(userId));
}

/** `name=value` from a Set-Cookie header value (attributes dropped). */
export function cookieFromSetCookie(setCookie: string) {
  return setCookie.split(";")[0].trim();
}

/** Reads a Response's Set-Cookie headers into one Cookie header value. */
export function cookiesFromResponse(response: Response) {
  return response.headers
    .getSetCookie()
    .map(cookieFromSetCookie)
    .filter((c) => !/=$/.test(c))
    .join("; ");
}

export type RouteOutcome = {
  status: number;
  location: string | null;
  data: unknown;
  body: string | null;
  headers: Headers | null;
};

/** Runs a loader/action; thrown Responses and data() results (returned or thrown) become one shape. */
export async function runRoute(fn: () => Promise<unknown>): Promise<RouteOutcome> {
  const shape = async (result: unknown): Promise<RouteOutcome> => {
    if (result instanceof Response) {
      return {
        status: result.status,
        location: result.headers.get("Location"),
        data: null,
        body: await result.text(),
        headers: result.headers,
      };
    }
    const r = result as { type?: string; data?: unknown; init?: ResponseInit | null } | null;
    if (r && typeof r === "object" && r.type === "DataWithResponseInit") {
      return { status: r.init?.status ?? 200, location: null, data: r.data, body: null, headers: null };
    }
    return { status: 200, location: null, data: result, body: null, headers: null };
  };
  try {
    return await shape(await fn());
  } catch (err) {
    if (
      err instanceof Response ||
      (err && typeof err === "object" && (err as { type?: string }).type === "DataWithResponseInit")
    ) {
      return shape(err);
    }
    throw err;
  }
}
