/**
 * Where a model version is published and with which key, from the environment's configuration: the model release
 * workflow's first step (`BLUEPRINT_ENV=dev node --import tsx scripts/model-release.ts <model> <version>`), whose
 * `name=value` lines go to `$GITHUB_OUTPUT`. An unknown model or a version that is no folder name stops the release.
 */
import { ValidationError } from "../constructs/core/validation";
import { SIGNING_KEY_SPECS } from "../constructs/keys/signing-key";
import { checkModelVersion, modelSigningKeyAlias } from "../constructs/storage/model-store";
import { ciNames, type EnvironmentConfig, loadEnvironment, modelStoreName } from "../stacks/config";

/** What the release needs to publish one version. */
export interface ModelRelease {
  /** The model store's bucket. */
  readonly bucket: string;
  /** The version's folder: `<modelPrefix><version>/`. */
  readonly prefix: string;
  /** The store's signing key, by alias. */
  readonly signingKey: string;
  /** The key's signing algorithm. */
  readonly signingAlgorithm: string;
  /** The role the release assumes: the environment's model publisher. */
  readonly publisherRole: string;
  /** The environment's region. */
  readonly region: string;
}

/** The release of `version` of the environment's model `model`; throws a ValidationError naming what is wrong. */
export function modelRelease(env: EnvironmentConfig, model: string, version: string): ModelRelease {
  const found = env.models.find((m) => m.name === model);
  if (!found) {
    throw new ValidationError(
      `environment "${env.name}"`,
      "model",
      model,
      `allowed: a model of the environment (${env.models.map((m) => m.name).join(", ")})`,
    );
  }
  checkModelVersion(`environment "${env.name}"`, "version", version);
  return {
    bucket: env.modelStore.bucketName,
    prefix: `${found.modelPrefix}${version}/`,
    signingKey: modelSigningKeyAlias(modelStoreName(env)),
    signingAlgorithm: SIGNING_KEY_SPECS.ECC_NIST_P256,
    publisherRole: ciNames(env).modelPublisherRole,
    region: env.region,
  };
}

/** The release as `$GITHUB_OUTPUT` lines, names in kebab case. */
export function toOutputLines(release: ModelRelease): string {
  return Object.entries(release)
    .map(([name, value]) => `${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}=${value}\n`)
    .join("");
}

if (require.main === module) {
  try {
    const [model = "", version = ""] = process.argv.slice(2);
    const env = loadEnvironment(process.env.BLUEPRINT_ENV || "dev");
    process.stdout.write(toOutputLines(modelRelease(env, model, version)));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
