// @vitest-environment node
/** The import-boundary rule of eslint.config.mjs, run on sample files: it refuses what crosses. */
import { ESLint } from "eslint";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const eslint = new ESLint({ cwd: root });

async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === "import/no-restricted-paths").map((m) => m.message);
}

// Loading the whole ESLint configuration takes a few seconds on this machine.
describe("import boundaries", { timeout: 30_000 }, () => {
  it("orders may use users, users may not use orders", async () => {
    expect(await boundaryErrors("src/features/orders/sample.ts", 'export { userKeys } from "@/features/users/keys";\n')).toEqual([]);
    expect(await boundaryErrors("src/features/users/sample.ts", 'export { orderKeys } from "@/features/orders/keys";\n')).toEqual([
      expect.stringMatching(/features\/users may import only itself/),
    ]);
  });

  it("auth stands alone, features import no route, shared code imports no feature", async () => {
    expect(await boundaryErrors("src/features/auth/sample.ts", 'export { userKeys } from "@/features/users/keys";\n')).toHaveLength(1);
    expect(await boundaryErrors("src/features/orders/sample.ts", 'export { GET } from "@/app/runtime-config.js/route";\n')).toEqual([
      expect.stringMatching(/features do not import routes/),
    ]);
    expect(await boundaryErrors("src/lib/sample.ts", 'export { orderKeys } from "@/features/orders/keys";\n')).toEqual([
      expect.stringMatching(/shared code imports no feature/),
    ]);
  });
});
