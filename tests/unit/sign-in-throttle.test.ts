// The sign-in throttling policy (ADR 017): the delay schedule, when a client is refused, how a
// client is keyed, and how a wait is written on the page.
import { describe, expect, it } from "vitest";
import {
  CLIENT_FAILURE_LIMIT,
  CLIENT_REFUSAL_MINUTES,
  CLIENT_WINDOW_MINUTES,
  clientKey,
  clientRefusedUntil,
  describeWait,
  MAX_DELAY_SECONDS,
  pairDelaySeconds,
} from "~/.server/auth/throttle.server";

const MIN = 60_000;

describe("pairDelaySeconds", () => {
  it("lets the first four failures go, then waits 30 s and doubles up to 15 minutes", () => {
    const schedule = Array.from({ length: 13 }, (_, n) => pairDelaySeconds(n));
    expect(schedule).toEqual([0, 0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900, 900]);
  });

  it("never exceeds the cap and never goes down as failures grow", () => {
    let previous = 0;
    for (let n = 0; n <= 200; n++) {
      const delay = pairDelaySeconds(n);
      expect(delay).toBeGreaterThanOrEqual(previous);
      expect(delay).toBeLessThanOrEqual(MAX_DELAY_SECONDS);
      previous = delay;
    }
    expect(pairDelaySeconds(Number.MAX_SAFE_INTEGER)).toBe(MAX_DELAY_SECONDS);
    expect(pairDelaySeconds(Number.NaN)).toBe(0);
  });
});

describe("clientRefusedUntil", () => {
  const now = new Date("2030-03-04T12:00:00Z");
  const ago = (minutes: number) => new Date(now.getTime() - minutes * MIN);

  it("is not refused below the limit", () => {
    const times = Array.from({ length: CLIENT_FAILURE_LIMIT - 1 }, (_, i) => ago(i * 0.1));
    expect(clientRefusedUntil(times, now)).toBeNull();
  });

  it("refuses for 15 minutes after the failure that reached the limit within 15 minutes", () => {
    // 20 failures, one every 30 s, the last 2 minutes ago.
    const times = Array.from({ length: CLIENT_FAILURE_LIMIT }, (_, i) => ago(2 + i * 0.5));
    expect(clientRefusedUntil(times, now)).toEqual(new Date(ago(2).getTime() + CLIENT_REFUSAL_MINUTES * MIN));
    // Order does not matter.
    expect(clientRefusedUntil([...times].reverse(), now)).toEqual(
      new Date(ago(2).getTime() + CLIENT_REFUSAL_MINUTES * MIN),
    );
  });

  it("ends when the refusal time is over", () => {
    const times = Array.from({ length: CLIENT_FAILURE_LIMIT }, (_, i) => ago(CLIENT_REFUSAL_MINUTES + i * 0.1));
    expect(clientRefusedUntil(times, now)).toBeNull();
    const justInside = Array.from({ length: CLIENT_FAILURE_LIMIT }, (_, i) =>
      ago(CLIENT_REFUSAL_MINUTES - 0.5 + i * 0.1),
    );
    expect(clientRefusedUntil(justInside, now)).not.toBeNull();
  });

  it("does not refuse 20 failures spread over more than 15 minutes", () => {
    // One a minute: any 20 in a row span 19 minutes.
    const times = Array.from({ length: 40 }, (_, i) => ago(i));
    expect(clientRefusedUntil(times, now)).toBeNull();
    // Exactly 15 minutes from the first to the 20th counts.
    const edge = Array.from({ length: CLIENT_FAILURE_LIMIT }, (_, i) =>
      ago((i * CLIENT_WINDOW_MINUTES) / (CLIENT_FAILURE_LIMIT - 1)),
    );
    expect(clientRefusedUntil(edge, now)).not.toBeNull();
  });

  it("finds a run of 20 that does not include the newest failure", () => {
    // A burst of 20 between 14.5 and 15.45 minutes ago, then one failure just now: the newest and
    // the 19 after it span more than 15 minutes, but the burst still refuses until 14.5 + 15.
    const burst = Array.from({ length: CLIENT_FAILURE_LIMIT }, (_, i) => ago(14.5 + i * 0.05));
    expect(clientRefusedUntil([ago(0), ...burst], now)).toEqual(
      new Date(ago(14.5).getTime() + CLIENT_REFUSAL_MINUTES * MIN),
    );
    // Once the burst's refusal is over, the lone newer failure refuses nothing.
    expect(clientRefusedUntil([ago(0), ...burst], new Date(now.getTime() + MIN))).toBeNull();
  });
});

describe("clientKey", () => {
  it("keys IPv4 by address and IPv6 by its /64", () => {
    expect(clientKey("192.0.2.10")).toBe("192.0.2.10");
    expect(clientKey("::ffff:192.0.2.10")).toBe("192.0.2.10");
    expect(clientKey("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:db8:1:2::99")).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:0DB8:0001:0002:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(clientKey("::1")).toBe("0:0:0:0::/64");
    expect(clientKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
  });

  it("puts requests without a usable address under one key", () => {
    for (const bad of [undefined, null, "", "not an address", "999.1.1.1", "1.2.3.4, 5.6.7.8"]) {
      expect(clientKey(bad), String(bad)).toBe("unknown");
    }
  });
});

describe("describeWait", () => {
  it("says seconds under a minute and whole minutes, rounded up, after", () => {
    expect(describeWait(1)).toBe("1 second");
    expect(describeWait(29.2)).toBe("30 seconds");
    expect(describeWait(60)).toBe("1 minute");
    expect(describeWait(61)).toBe("2 minutes");
    expect(describeWait(900)).toBe("15 minutes");
    expect(describeWait(0)).toBe("1 second");
  });
});
