// TRUST_PROXY (ADR 017): whose X-Forwarded-For names the client for sign-in throttling.
import { afterEach, describe, expect, it } from "vitest";
import { env, resetEnvCache } from "~/.server/env";

describe("TRUST_PROXY", () => {
  const saved = process.env.TRUST_PROXY;
  afterEach(() => {
    if (saved === undefined) delete process.env.TRUST_PROXY;
    else process.env.TRUST_PROXY = saved;
    resetEnvCache();
  });

  it("defaults to loopback and takes a balancer's subnet", () => {
    delete process.env.TRUST_PROXY;
    resetEnvCache();
    expect(env().TRUST_PROXY).toBe("loopback");
    process.env.TRUST_PROXY = "10.0.0.0/8, 192.168.1.10";
    resetEnvCache();
    expect(env().TRUST_PROXY).toBe("10.0.0.0/8, 192.168.1.10");
  });

  it("refuses true, which would let any client choose its own address", () => {
    process.env.TRUST_PROXY = "true";
    resetEnvCache();
    expect(() => env()).toThrow(/TRUST_PROXY/);
  });
});
