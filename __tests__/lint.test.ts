import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..");
const BIOME = join(ROOT, "node_modules", ".bin", "biome");

/** Lints one file with the project's own biome.json, placed where the project keeps constructs. */
function lintAsConstruct(fixture: string) {
  const dir = mkdtempSync(join(tmpdir(), "blueprint-lint-"));
  try {
    mkdirSync(join(dir, "constructs"));
    copyFileSync(join(ROOT, "biome.json"), join(dir, "biome.json"));
    copyFileSync(fixture, join(dir, "constructs", "fixture.ts"));
    return spawnSync(BIOME, ["lint", "--colors=off", "constructs"], { cwd: dir, encoding: "utf8" });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("the lint step", () => {
  it("fails an import from the root of @cdktf/provider-aws", () => {
    const result = lintAsConstruct(join(ROOT, "__tests__", "fixtures", "lint", "root-import.ts"));
    expect(result.status).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/lint\/style\/noRestrictedImports/);
    expect(result.stdout + result.stderr).toMatch(/import the resource's own module/);
  });

  it("passes a deep import of the same resource", () => {
    const result = lintAsConstruct(join(ROOT, "__tests__", "fixtures", "lint", "deep-import.ts"));
    expect(result.stdout + result.stderr).not.toMatch(/noRestrictedImports/);
    expect(result.status).toBe(0);
  });
});
