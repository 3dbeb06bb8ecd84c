import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { modelRelease, toOutputLines } from "../../scripts/model-release";
import { ENVIRONMENTS } from "../../stacks/config";

const dev = ENVIRONMENTS.dev;

describe("scripts/model-release.ts (where the model release workflow publishes, and with which key)", () => {
  it("names the version's folder under the model's prefix, the store's signing key and the publisher role", () => {
    expect(modelRelease(dev, "fraud-detection", "v4")).toEqual({
      bucket: "smd-dev-models",
      prefix: "models/fraud-detection/v4/",
      signingKey: "alias/smd-dev-models-signing",
      signingAlgorithm: "ECDSA_SHA_256",
      publisherRole: "smd-dev-ci-model-publisher",
      region: dev.region,
    });
  });

  it("writes GitHub step outputs", () => {
    expect(toOutputLines(modelRelease(dev, "fraud-detection", "v4"))).toBe(
      [
        "bucket=smd-dev-models",
        "prefix=models/fraud-detection/v4/",
        "signing-key=alias/smd-dev-models-signing",
        "signing-algorithm=ECDSA_SHA_256",
        "publisher-role=smd-dev-ci-model-publisher",
        `region=${dev.region}`,
        "",
      ].join("\n"),
    );
  });

  it.each([
    [
      "an unknown model",
      "churn",
      "v1",
      'model = "churn" is not allowed; allowed: a model of the environment (fraud-detection)',
    ],
    ["a version that is a path", "fraud-detection", "../v1", 'version = "../v1" is not allowed'],
    ["no version", "fraud-detection", "", 'version = "" is not allowed'],
  ])("stops the release at %s", (_what, model, version, message) => {
    expect(() => modelRelease(dev, model, version)).toThrow(message);
  });

  it("exits 1 with the reason when run by the workflow with a bad input", () => {
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", join(__dirname, "../../scripts/model-release.ts"), "churn", "v1"],
      {
        encoding: "utf8",
        env: { ...process.env, BLUEPRINT_ENV: "prod" },
      },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('model = "churn" is not allowed');
    expect(run.stdout).toBe("");
  });
});
