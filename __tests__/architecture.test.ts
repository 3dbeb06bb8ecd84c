import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const ROOT = resolve(__dirname, "..");

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return sources(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

/** Every module specifier a file imports. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  return [...text.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1]);
}

/** The project folder an import resolves into, or undefined for a package. */
function targetFolder(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  return relative(ROOT, resolve(ROOT, file, "..", specifier)).split("/")[0];
}

describe("the layout's dependency rules (DESIGN.md)", () => {
  it("keeps constructs/ free of stacks/ and main.ts", () => {
    for (const file of sources("constructs")) {
      for (const specifier of importsOf(file)) {
        expect([file, targetFolder(file, specifier)]).not.toEqual([file, "stacks"]);
        expect([file, targetFolder(file, specifier)]).not.toEqual([file, "main"]);
      }
    }
  });

  it("keeps policies/ free of stacks/ and constructs/: it reads resolved Terraform only", () => {
    for (const file of sources("policies")) {
      for (const specifier of importsOf(file)) {
        expect(["stacks", "constructs", "main"]).not.toContain(targetFolder(file, specifier));
      }
    }
  });

  it("imports provider classes from their own modules, never from a package root", () => {
    for (const file of [...sources("constructs"), ...sources("stacks"), ...sources("policies"), "main.ts"]) {
      for (const specifier of importsOf(file)) {
        expect([file, specifier]).not.toEqual([file, expect.stringMatching(/^@cdktf\/provider-[a-z]+$/)]);
      }
    }
  });

  it("keeps test-only libraries (the IAM simulator, the SARIF schema check) out of what synth loads", () => {
    const loaded = [...sources("constructs"), ...sources("stacks"), ...sources("policies"), "main.ts"].filter(
      (file) => file !== "policies/iam-simulation.ts",
    );
    for (const file of loaded) {
      for (const specifier of importsOf(file)) {
        expect([file, specifier]).not.toEqual([
          file,
          expect.stringMatching(/^(@cloud-copilot\/|ajv|@microsoft\/(sarif|api-))|iam-simulation$/),
        ]);
      }
    }
  });

  it("recognizes cdktf and constructs objects by their symbols, never by instanceof (an app may hold two copies)", () => {
    for (const file of [...sources("constructs"), ...sources("policies"), "index.ts"]) {
      const code = readFileSync(join(ROOT, file), "utf8")
        .split("\n")
        .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line));
      const uses = code.filter(
        (line) => /\binstanceof\b/.test(line) && !/instanceof (Error|Array|Map|Set)\b/.test(line),
      );
      expect([file, uses]).toEqual([file, []]);
    }
  });

  it("makes the examples import the package by its name, never the repository's sources", () => {
    for (const file of sources("examples")) {
      for (const specifier of importsOf(file)) {
        if (specifier.startsWith(".")) expect([file, specifier]).toEqual([file, expect.stringMatching(/^\.\/[\w-]+$/)]);
        expect([file, specifier]).not.toEqual([file, expect.stringMatching(/constructs\/|policies\/|stacks\//)]);
      }
    }
  });
});
