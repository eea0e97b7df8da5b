import { describe, expect, it } from "vitest";
import { gatewayOrigin } from "./gateway-origin";

const page = (href: string) => new URL(href);

describe("gatewayOrigin", () => {
  it("without an explicit URL, is the page's own host name at the gateway port", () => {
    const config = { buildPort: 8080 };
    // The refresh cookie is the gateway host's: page and gateway must share the host name.
    expect(gatewayOrigin(config, page("http://127.0.0.1:3000/orders"))).toBe("http://127.0.0.1:8080");
    expect(gatewayOrigin(config, page("http://localhost:3000/sign-in"))).toBe("http://localhost:8080");
    expect(gatewayOrigin(config, page("http://192.168.1.20:3000/"))).toBe("http://192.168.1.20:8080");
    expect(gatewayOrigin(config, page("http://[::1]:3000/"))).toBe("http://[::1]:8080");
    expect(gatewayOrigin(config, page("https://orders.example.com/"))).toBe("https://orders.example.com:8080");
  });

  it("takes the port chosen at run time over the build's", () => {
    expect(gatewayOrigin({ buildPort: 8080, runtimePort: 41234 }, page("http://127.0.0.1:3000/"))).toBe("http://127.0.0.1:41234");
  });

  it("an explicit URL wins, the run-time one first, without a trailing slash", () => {
    const at = page("http://127.0.0.1:3000/");
    expect(gatewayOrigin({ buildPort: 8080, buildUrl: "https://api.example.com/" }, at)).toBe("https://api.example.com");
    expect(gatewayOrigin({ buildPort: 8080, buildUrl: "https://api.example.com", runtimeUrl: "http://gw:9000", runtimePort: 1 }, at)).toBe("http://gw:9000");
    expect(gatewayOrigin({ buildPort: 8080, buildUrl: "", runtimeUrl: "" }, at)).toBe("http://127.0.0.1:8080");
  });

  it("while the server renders (no page), is a loopback placeholder", () => {
    expect(gatewayOrigin({ buildPort: 8080 }, undefined)).toBe("http://localhost:8080");
  });
});
