// Environment, parsed once with zod. Every variable is listed in .env.example.
import { z } from "zod";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  // Public address of the portal, used in emailed links and for the same-origin (CSRF) check.
  APP_URL: z.string().url().optional(),
  // postgres://… to run on PostgreSQL; unset = embedded PGlite under DATA_DIR.
  DATABASE_URL: z.string().optional(),
  // "false": PostgreSQL queries unprepared (a transaction-pooling PgBouncer older than 1.21);
  // default prepared. Read by db/open-from-env.ts; listed here so a bad value stops the server.
  DATABASE_PREPARED_STATEMENTS: z.enum(["", "true", "false"]).default("true"),
  DATA_DIR: z.string().default(".data"),
  // smtp://user:pass@host:port; unset = messages are written to DATA_DIR/mail/.
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default("StayWell <no-reply@staywell.test>"),
  // Largest request body accepted, in kilobytes (forms are far smaller); a larger one gets 413.
  MAX_BODY_KB: z.coerce
    .number()
    .int()
    .min(1)
    .max(1024 * 1024)
    .default(256),
  // Which proxies' X-Forwarded-For to believe for the client's address (sign-in throttling, ADR
  // 017): express's "trust proxy" — "loopback" (a proxy on this machine), a comma-separated list
  // of addresses or CIDR ranges (a load balancer's subnet), or a number of hops. Never "true".
  TRUST_PROXY: z
    .string()
    .trim()
    .default("loopback")
    .refine((v) => v !== "" && v.toLowerCase() !== "true", "TRUST_PROXY must name the proxies to trust, not true"),
  // Seed demo data when the database is empty (on by default; set to "false" in production).
  SEED_DEMO_DATA: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  // Apply migrations at start (under a PostgreSQL advisory lock); "false" when a separate
  // `npm run db:migrate` step runs them before the instances start.
  MIGRATE_ON_START: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  // Roles that must use two-step verification (comma-separated: staff, coordinator, manager, admin).
  // Empty (the embedded demo's default): nobody is made to; anyone may turn it on. Production:
  // "coordinator,admin" (.env.example). docs/decisions/029.
  MFA_REQUIRED_FOR: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((r) => r.trim().toLowerCase())
        .filter(Boolean),
    )
    .refine(
      (roles) => roles.every((r) => ["staff", "coordinator", "manager", "admin"].includes(r)),
      "MFA_REQUIRED_FOR lists roles: staff, coordinator, manager, admin",
    ),
  // 32 random bytes, base64 (e.g. `openssl rand -base64 32`): two-step secrets are then stored
  // encrypted (AES-256-GCM). Unset: stored as they are (never logged). docs/decisions/029.
  TWO_STEP_ENCRYPTION_KEY: z
    .string()
    .optional()
    .refine(
      (v) => v === undefined || v === "" || Buffer.from(v, "base64").length === 32,
      "TWO_STEP_ENCRYPTION_KEY must be 32 bytes, base64-encoded",
    ),
  // A real deployment (NODE_ENV=production on PostgreSQL) refuses to start unless MFA_REQUIRED_FOR
  // includes coordinator and admin and TWO_STEP_ENCRYPTION_KEY is set; "1" starts it anyway, with a
  // warning in the log at every start (a rehearsal, the benchmark, the browser tests). ADR 029.
  STAYWELL_ALLOW_INSECURE_2SV: z
    .enum(["", "0", "1"])
    .default("")
    .transform((v) => v === "1"),
});

export type Env = z.infer<typeof schema> & { APP_URL: string };

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = schema.safeParse(process.env);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      throw new Error(`Invalid environment: ${problems}`);
    }
    const e = parsed.data;
    cached = { ...e, APP_URL: (e.APP_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, "") };
  }
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvCache() {
  cached = undefined;
}
