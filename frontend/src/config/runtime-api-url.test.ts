import { describe, expect, it } from "vitest";
import { runtimeApiUrl } from "./runtime-api-url";
import { GET } from "@/app/runtime-config.js/route";

describe("runtimeApiUrl", () => {
  it("is null when unset or empty", () => {
    expect(runtimeApiUrl(undefined)).toBeNull();
    expect(runtimeApiUrl("  ")).toBeNull();
  });

  it("strips a trailing slash and refuses what is not an http(s) URL", () => {
    expect(runtimeApiUrl("http://127.0.0.1:41234/")).toBe("http://127.0.0.1:41234");
    expect(() => runtimeApiUrl("gateway:8080x")).toThrow(/LOM_API_URL/);
    expect(() => runtimeApiUrl("javascript:alert(1)")).toThrow(/http or https/);
  });
});

describe("GET /runtime-config.js", () => {
  it("sets the origin from LOM_API_URL, uncached, and is empty without it", async () => {
    const before = process.env.LOM_API_URL;
    try {
      process.env.LOM_API_URL = "http://127.0.0.1:41234/";
      const response = GET();
      expect(response.headers.get("content-type")).toMatch(/javascript/);
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(await response.text()).toBe('self.__LOM_API_URL__="http://127.0.0.1:41234";\n');
      delete process.env.LOM_API_URL;
      expect(await GET().text()).toBe("");
    } finally {
      if (before === undefined) delete process.env.LOM_API_URL;
      else process.env.LOM_API_URL = before;
    }
  });
});
