import { describe, expect, it } from "vitest";
import { runtimeApiPort, runtimeApiUrl } from "./runtime-api-url";
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

describe("runtimeApiPort", () => {
  it("is null when unset or empty, a number for a port, and refuses anything else", () => {
    expect(runtimeApiPort(undefined)).toBeNull();
    expect(runtimeApiPort(" ")).toBeNull();
    expect(runtimeApiPort("41234")).toBe(41234);
    for (const bad of ["0", "65536", "80a", "-1", "8080.5", "http://x"]) expect(() => runtimeApiPort(bad)).toThrow(/LOM_API_PORT/);
  });
});

describe("GET /runtime-config.js", () => {
  it("sets the origin from LOM_API_URL, uncached, and is empty without it", async () => {
    const before = process.env.LOM_API_URL;
    delete process.env.LOM_API_PORT;
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

describe("GET /runtime-config.js with LOM_API_PORT", () => {
  it("sets the gateway's port on the page's host", async () => {
    const before = process.env.LOM_API_PORT;
    try {
      process.env.LOM_API_PORT = "41234";
      expect(await GET().text()).toBe("self.__LOM_API_PORT__=41234;\n");
    } finally {
      if (before === undefined) delete process.env.LOM_API_PORT;
      else process.env.LOM_API_PORT = before;
    }
  });
});
