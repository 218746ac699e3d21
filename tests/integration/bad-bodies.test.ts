// A POST whose body is not a form (JSON, a broken multipart body) gets a plain 400, never a 500.
import { describe, expect, it } from "vitest";
import { action as loginAction } from "~/routes/login";
import { action as signupAction } from "~/routes/signup";
import { action as verifyAction } from "~/routes/verify-email";
import { appOrigin, appUrl } from "../helpers/http";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

function post(path: string, body: string, contentType: string) {
  return new Request(appUrl(path), {
    method: "POST",
    headers: { Origin: appOrigin(), "Content-Type": contentType },
    body,
  });
}

async function statusOf(promise: Promise<unknown>) {
  const outcome = await promise.then(
    (v) => v,
    (thrown) => thrown,
  );
  if (outcome instanceof Response) return outcome.status;
  return (outcome as { init?: { status?: number } })?.init?.status ?? 200;
}

describe("bodies that are not forms", () => {
  for (const [name, action, path] of [
    ["sign-in", loginAction, "/login"],
    ["sign-up", signupAction, "/signup"],
    ["email confirmation", verifyAction, "/verify-email"],
  ] as const) {
    it(`${name}: JSON or a broken multipart body is a 400`, async () => {
      const json = post(path, JSON.stringify({ email: "a@b.test" }), "application/json");
      expect(await statusOf(action({ request: json, params: {}, context: {} }))).toBe(400);
      const multipart = post(path, "--x\r\nnot a part", "multipart/form-data; boundary=x");
      expect(await statusOf(action({ request: multipart, params: {}, context: {} }))).toBe(400);
    });
  }
});
