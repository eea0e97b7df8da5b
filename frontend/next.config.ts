import { hostname, networkInterfaces } from "node:os";
import type { NextConfig } from "next";
import { publicEnvForBuild } from "./src/config/env";

// Validates the public configuration (zod) and inlines the checked values into the bundle.
const publicEnv = publicEnvForBuild(process.env);

/**
 * The hosts `next dev` serves its own scripts to: Next 16's dev server refuses them to any
 * origin it does not know, and a dashboard opened at 127.0.0.1 or at a LAN address then stays
 * on "Loading…". This machine's names and IPv4 addresses, read when the dev server starts.
 * (The production build has no such check.)
 */
function devOrigins(): string[] {
  const hosts = new Set(["localhost", "127.0.0.1", hostname()]);
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === "IPv4") hosts.add(address.address);
    }
  }
  return [...hosts].filter(Boolean);
}

const nextConfig: NextConfig = {
  output: "standalone",
  reactStrictMode: true,
  poweredByHeader: false,
  env: publicEnv,
  allowedDevOrigins: devOrigins(),
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Content-Security-Policy", value: "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'" },
        ],
      },
    ];
  },
};

export default nextConfig;
