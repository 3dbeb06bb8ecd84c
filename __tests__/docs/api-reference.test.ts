import { appendFileSync, cpSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Extractor, ExtractorConfig, type ExtractorMessage } from "@microsoft/api-extractor";
import { BUILD, packedTarball, ROOT } from "../support/package";

/**
 * The API reference is generated from the package's declaration files by API Extractor (`npm run docs:api`, which CI
 * publishes): every exported symbol and member must be documented, every link resolve, every type a signature names
 * be exported. Run in-process over the freshly built `dist/`, and over a copy with one undocumented export, which must
 * fail.
 */
function extract(projectFolder: string): string[] {
  const configObject = ExtractorConfig.loadFile(join(ROOT, "api-extractor.json"));
  const config = ExtractorConfig.prepare({
    configObject: { ...configObject, projectFolder },
    configObjectFullPath: join(projectFolder, "api-extractor.json"),
    packageJsonFullPath: join(projectFolder, "package.json"),
  });
  const errors: string[] = [];
  Extractor.invoke(config, {
    localBuild: true,
    messageCallback: (message: ExtractorMessage) => {
      if (message.logLevel === "error") errors.push(`${message.messageId}: ${message.text}`);
      message.handled = true;
    },
  });
  return errors;
}

describe("the API reference", () => {
  beforeAll(() => packedTarball(), 240_000); // builds dist/ from the current sources

  it("documents every exported symbol of the package, with no broken link or unexported type", () => {
    expect(extract(ROOT)).toEqual([]);
  }, 60_000);

  it("fails on an undocumented export", () => {
    const fixture = join(BUILD, "api-fixture");
    rmSync(fixture, { recursive: true, force: true });
    mkdirSync(fixture, { recursive: true });
    cpSync(join(ROOT, "dist"), join(fixture, "dist"), { recursive: true });
    cpSync(join(ROOT, "package.json"), join(fixture, "package.json"));
    appendFileSync(join(fixture, "dist", "index.d.ts"), "export declare const UNDOCUMENTED_PROBE: number;\n");
    expect(readFileSync(join(fixture, "dist", "index.d.ts"), "utf8")).toContain("UNDOCUMENTED_PROBE");
    expect(extract(fixture)).toEqual([
      expect.stringMatching(/^ae-undocumented: Missing documentation for "UNDOCUMENTED_PROBE"/),
    ]);
  }, 60_000);
});
