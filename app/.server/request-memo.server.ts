// A memo that lives as long as one read-only HTTP request (GET or HEAD), never longer and never
// shared between requests: Remix runs the root loader and the page's loader (and a layout's) for
// the same request, each with a copy of the Request of its own, and each wants the signed-in person
// (session + account: two round trips) and, for the hub, their teams. The memo hangs off the
// request's log context (the AsyncLocalStorage store server.ts's requestLogging() makes for each
// HTTP request) and off the CurrentUser object read for it, in WeakMaps, so it is dropped with the
// request; nothing is kept in process memory across requests or instances (issue 11;
// docs/performance/server-cost.md). Outside a request context (a loader called directly, as the
// integration tests do) nothing is memoised.
//
// Only read-only requests: an action may change what it read (sign out, a team's members).
import { currentRequestContext } from "./log.server";

const memos = new WeakMap<object, Map<string, Promise<unknown>>>();
/** Objects read for a read-only request: their own memo may be used (teamIdsOf on a user). */
const readOnly = new WeakSet<object>();

function isReadOnly(request: Request) {
  return request.method === "GET" || request.method === "HEAD";
}

function remember<T>(owner: object, key: string, compute: () => Promise<T>): Promise<T> {
  let table = memos.get(owner);
  if (!table) memos.set(owner, (table = new Map()));
  const known = table.get(key) as Promise<T> | undefined;
  if (known) return known;
  const result = compute();
  table.set(key, result);
  // A failure is not remembered: the next caller tries again.
  result.catch(() => table.delete(key));
  return result;
}

/** `compute()` once per read-only HTTP request and `key`; every time otherwise. */
export function requestMemo<T>(request: Request, key: string, compute: () => Promise<T>): Promise<T> {
  const context = currentRequestContext();
  if (!context || !isReadOnly(request)) return compute();
  return remember(context, key, compute);
}

/** `compute()` once per `value` and `key` when `value` was read for a read-only request (markReadOnly). */
export function valueMemo<T>(value: object, key: string, compute: () => Promise<T>): Promise<T> {
  if (!readOnly.has(value)) return compute();
  return remember(value, key, compute);
}

/** Lets `value` (read for `request`, e.g. its signed-in user) carry a memo when the request is read-only. */
export function markReadOnly<T extends object>(request: Request, value: T): T {
  if (currentRequestContext() && isReadOnly(request)) readOnly.add(value);
  return value;
}
