import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..");
const BIOME = join(ROOT, "node_modules", ".bin", "biome");
// Spelled in pieces so that no file of the repository holds the forbidden import itself.
const AWS_ROOT = ["@cdktf", "provider-aws"].join("/");
const K8S_ROOT = ["@cdktf", "provider-kubernetes"].join("/");

/** Lints one source text with the project's own biome.json, as a file in constructs/. */
function lintAsConstruct(source: string) {
  const dir = mkdtempSync(join(tmpdir(), "blueprint-lint-"));
  try {
    mkdirSync(join(dir, "constructs"));
    copyFileSync(join(ROOT, "biome.json"), join(dir, "biome.json"));
    writeFileSync(join(dir, "constructs", "fixture.ts"), source);
    const result = spawnSync(BIOME, ["lint", "--colors=off", "constructs"], { cwd: dir, encoding: "utf8" });
    return { status: result.status, output: result.stdout + result.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("the lint step", () => {
  it.each([
    ["@cdktf/provider-aws", `import { kmsKey } from "${AWS_ROOT}";\n\nexport const keyClass = kmsKey.KmsKey;\n`],
    [
      "@cdktf/provider-kubernetes",
      `import { namespaceV1 } from "${K8S_ROOT}";\n\nexport const ns = namespaceV1.NamespaceV1;\n`,
    ],
  ])("fails an import from the root of %s", (_name, source) => {
    const { status, output } = lintAsConstruct(source);
    expect(status).not.toBe(0);
    expect(output).toMatch(/lint\/style\/noRestrictedImports/);
    expect(output).toMatch(/import the resource's own module/);
  });

  it("passes a deep import of the same resource", () => {
    const { status, output } = lintAsConstruct(
      `import { KmsKey } from "${AWS_ROOT}/lib/kms-key";\n\nexport const keyClass = KmsKey;\n`,
    );
    expect(output).not.toMatch(/noRestrictedImports/);
    expect(status).toBe(0);
  });
});
