import { describe, expect, it } from "vitest";
import { parseEnv, publicEnvForBuild } from "./env";
import { env } from "./public-env";

describe("parseEnv", () => {
  it("leaves the gateway URL unset (the page's host at port 8080) and defaults the age thresholds", () => {
    expect(parseEnv({})).toEqual({
      NEXT_PUBLIC_API_URL: "",
      NEXT_PUBLIC_API_PORT: 8080,
      NEXT_PUBLIC_AGE_WARN_MINUTES: 15,
      NEXT_PUBLIC_AGE_ALERT_MINUTES: 60,
    });
  });

  it("accepts overrides, treats empty as unset and strips a trailing slash", () => {
    const parsed = parseEnv({ NEXT_PUBLIC_API_URL: "https://gw.example.com/", NEXT_PUBLIC_AGE_WARN_MINUTES: "5", NEXT_PUBLIC_AGE_ALERT_MINUTES: "" });
    expect(parsed.NEXT_PUBLIC_API_URL).toBe("https://gw.example.com");
    expect(parsed.NEXT_PUBLIC_AGE_WARN_MINUTES).toBe(5);
    expect(parsed.NEXT_PUBLIC_AGE_ALERT_MINUTES).toBe(60);
  });

  it("fails clearly on a bad value", () => {
    expect(() => parseEnv({ NEXT_PUBLIC_API_URL: "not a url" })).toThrow(/Invalid environment/);
    expect(() => parseEnv({ NEXT_PUBLIC_API_URL: "ftp://gw" })).toThrow(/NEXT_PUBLIC_API_URL/);
    expect(() => parseEnv({ NEXT_PUBLIC_API_PORT: "80800" })).toThrow(/NEXT_PUBLIC_API_PORT/);
    expect(() => parseEnv({ NEXT_PUBLIC_API_PORT: "http" })).toThrow(/NEXT_PUBLIC_API_PORT/);
    expect(() => parseEnv({ NEXT_PUBLIC_AGE_WARN_MINUTES: "-3" })).toThrow(/NEXT_PUBLIC_AGE_WARN_MINUTES/);
    expect(() => parseEnv({ NEXT_PUBLIC_AGE_WARN_MINUTES: "90" })).toThrow(/NEXT_PUBLIC_AGE_ALERT_MINUTES/);
  });

  it("gives next.config string values to inline", () => {
    expect(publicEnvForBuild({ NEXT_PUBLIC_AGE_WARN_MINUTES: "10", NEXT_PUBLIC_API_PORT: "18080" })).toEqual({
      NEXT_PUBLIC_API_URL: "",
      NEXT_PUBLIC_API_PORT: "18080",
      NEXT_PUBLIC_AGE_WARN_MINUTES: "10",
      NEXT_PUBLIC_AGE_ALERT_MINUTES: "60",
    });
  });

  it("the client falls back to the same defaults outside a Next build", () => {
    expect(env).toEqual(parseEnv({}));
  });
});
