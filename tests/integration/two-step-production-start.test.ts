// A real deployment (NODE_ENV=production on PostgreSQL) refuses to start unless two-step
// verification is required of coordinators and administrators and its secrets are encrypted
// (docs/decisions/029); STAYWELL_ALLOW_INSECURE_2SV=1 starts it anyway with a warning. The rule
// itself, then server.ts started for real (it stops before opening the database).
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { productionTwoStepProblems } from "~/.server/auth/two-step.server";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const KEY = Buffer.alloc(32, 9).toString("base64");
const POSTGRES = "postgres://nobody@127.0.0.1:1/none";

describe("productionTwoStepProblems", () => {
  const good = {
    NODE_ENV: "production" as const,
    DATABASE_URL: POSTGRES,
    MFA_REQUIRED_FOR: ["coordinator", "admin"],
    TWO_STEP_ENCRYPTION_KEY: KEY,
  };

  it("finds nothing wrong with coordinator and admin required and a key, or off production or PostgreSQL", () => {
    expect(productionTwoStepProblems(good)).toEqual([]);
    expect(productionTwoStepProblems({ ...good, MFA_REQUIRED_FOR: ["staff", "admin", "coordinator"] })).toEqual([]);
    // The embedded demo, and development.
    expect(productionTwoStepProblems({ ...good, DATABASE_URL: undefined, MFA_REQUIRED_FOR: [] })).toEqual([]);
    expect(productionTwoStepProblems({ ...good, NODE_ENV: "development", TWO_STEP_ENCRYPTION_KEY: undefined })).toEqual(
      [],
    );
  });

  it("names each problem of a real deployment", () => {
    expect(productionTwoStepProblems({ ...good, MFA_REQUIRED_FOR: [] })).toEqual([
      "MFA_REQUIRED_FOR does not include coordinator and admin (set MFA_REQUIRED_FOR=coordinator,admin)",
    ]);
    expect(productionTwoStepProblems({ ...good, MFA_REQUIRED_FOR: ["admin"] })[0]).toContain(
      "does not include coordinator (set MFA_REQUIRED_FOR=admin,coordinator)",
    );
    for (const key of [undefined, ""]) {
      expect(productionTwoStepProblems({ ...good, TWO_STEP_ENCRYPTION_KEY: key })).toEqual([
        expect.stringContaining("TWO_STEP_ENCRYPTION_KEY is not set"),
      ]);
    }
  });
});

/** Starts server.ts with `extra` env; resolves with its output once it exits or prints `until`. */
function startServer(
  extra: Record<string, string | undefined>,
  until?: RegExp,
): Promise<{ code: number | null; output: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "info", PORT: "0", ...extra };
  env.NODE_ENV = "production";
  for (const name of ["VITEST", "VITEST_MODE", "TEST_DATABASE_URL", "SEED_DEMO_DATA"]) delete env[name];
  for (const [name, value] of Object.entries(extra)) if (value === undefined) delete env[name];
  const child = spawn(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "server.ts"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (until && until.test(output)) child.kill("SIGKILL");
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe("server.ts in production on PostgreSQL", () => {
  it("refuses to start without MFA_REQUIRED_FOR=coordinator,admin and a key, saying what to set", async () => {
    const { code, output } = await startServer({
      DATABASE_URL: POSTGRES,
      MFA_REQUIRED_FOR: "",
      TWO_STEP_ENCRYPTION_KEY: undefined,
      STAYWELL_ALLOW_INSECURE_2SV: undefined,
    });
    expect(code).toBe(1);
    expect(output).toContain("StayWell will not start");
    expect(output).toContain("MFA_REQUIRED_FOR does not include coordinator and admin");
    expect(output).toContain("TWO_STEP_ENCRYPTION_KEY is not set");
  }, 90_000);

  it("starts anyway with STAYWELL_ALLOW_INSECURE_2SV=1, warning that it is insecure", async () => {
    const { output } = await startServer(
      {
        DATABASE_URL: POSTGRES,
        MFA_REQUIRED_FOR: "",
        TWO_STEP_ENCRYPTION_KEY: undefined,
        STAYWELL_ALLOW_INSECURE_2SV: "1",
      },
      /INSECURE/,
    );
    expect(output).toContain("INSECURE: two-step verification is not configured for production");
    expect(output).not.toContain("StayWell will not start");
  }, 90_000);

  it("gets past the check when configured (it then fails to reach this database, which does not exist)", async () => {
    const { output } = await startServer(
      {
        DATABASE_URL: POSTGRES,
        MFA_REQUIRED_FOR: "coordinator,admin",
        TWO_STEP_ENCRYPTION_KEY: KEY,
        STAYWELL_ALLOW_INSECURE_2SV: undefined,
      },
      /ECONNREFUSED|connect|database/i,
    );
    expect(output).not.toContain("StayWell will not start");
    expect(output).not.toContain("INSECURE");
  }, 90_000);
});
