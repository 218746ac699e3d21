// A memo that lives as long as one read-only request (GET or HEAD), never longer and never shared
// between requests: Remix runs the root loader and the page's loader for the same Request, and both
// want the signed-in person (session + account: two round trips) and, for the hub, their teams.
// The memo hangs off the Request object itself (and off the CurrentUser object made for it), in
// WeakMaps, so it is dropped with the request; nothing is kept in process memory across requests
// or instances (issue 11; docs/performance/server-cost.md).
//
// Only read-only requests: an action may change what it read (sign out, a team's members), and
// its loaders then run with a new Request of their own, which starts a fresh memo.

const memos = new WeakMap<object, Map<string, Promise<unknown>>>();
/** Objects whose memo may be used: read-only Requests and the users read for them. */
const readOnly = new WeakSet<object>();

function isReadOnly(request: Request) {
  return request.method === "GET" || request.method === "HEAD";
}

/**
 * `compute()` once per `owner` and `key`: the owner is a read-only Request, or an object made for
 * one (markReadOnly); for anything else `compute()` runs every time. A rejected promise is not kept.
 */
export function memo<T>(owner: object, key: string, compute: () => Promise<T>): Promise<T> {
  if (!(owner instanceof Request ? isReadOnly(owner) : readOnly.has(owner))) return compute();
  let table = memos.get(owner);
  if (!table) memos.set(owner, (table = new Map()));
  const known = table.get(key) as Promise<T> | undefined;
  if (known) return known;
  const result = compute();
  table.set(key, result);
  result.catch(() => table.delete(key));
  return result;
}

/** Lets `value` (made for `request`, e.g. its signed-in user) carry a memo when the request is read-only. */
export function markReadOnly<T extends object>(request: Request, value: T): T {
  if (isReadOnly(request)) readOnly.add(value);
  return value;
}
