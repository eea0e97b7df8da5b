import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/**
 * Import boundaries (bulletproof-react's): code flows one way, app → features → shared.
 * Features import each other only along the arrows below (orders may use users' names, never
 * the reverse; auth stands alone), and the shared folders import no feature and no route.
 */
const FEATURE_DEPENDENCIES = {
  auth: [],
  users: [],
  orders: ["users"],
  kpis: ["orders", "users"],
  notifications: ["orders"],
};
const SHARED = ["./src/components", "./src/config", "./src/lib", "./src/test"];

const featureBoundaries = Object.entries(FEATURE_DEPENDENCIES).map(([feature, allowed]) => ({
    target: `./src/features/${feature}`,
    from: "./src/features",
    except: [`./${feature}`, ...allowed.map((other) => `./${other}`)],
    message: `features/${feature} may import only ${["itself", ...allowed.map((other) => `features/${other}`)].join(", ")} (eslint.config.mjs)`,
}));
const layerBoundaries = [
  { target: "./src/features", from: "./src/app", message: "features do not import routes" },
  { target: SHARED, from: ["./src/features", "./src/app"], message: "shared code imports no feature and no route" },
];

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    files: ["src/**/*.{ts,tsx}"],
    rules: { "import/no-restricted-paths": ["error", { zones: [...featureBoundaries, ...layerBoundaries] }] },
  },
  {
    // A test may render the routes it exercises (sign-in page, dashboard layout); features still may not cross.
    files: ["src/**/*.test.{ts,tsx}"],
    rules: { "import/no-restricted-paths": ["error", { zones: featureBoundaries }] },
  },
  globalIgnores([".next/**", "out/**", "build/**", "coverage/**", "next-env.d.ts"]),
]);
