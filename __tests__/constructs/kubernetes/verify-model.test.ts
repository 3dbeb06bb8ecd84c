import { spawnSync } from "node:child_process";
import { createHash, createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..", "..");
const VERIFY = join(ROOT, "constructs", "kubernetes", "verify-model.sh");
const PUBLISH = join(ROOT, "scripts", "publish-model.sh");
const FAKE_AWS = join(ROOT, "__tests__", "support", "fake-aws");
const BUCKET = "smd-test-models";
const KEY = "alias/smd-test-models-signing";
const OTHER_KEY = "alias/someone-elses-key";
const ALGORITHM = "ECDSA_SHA_256";

let root: string;
const s3 = (key: string) => join(root, "aws", "s3", BUCKET, key);
const calls = () =>
  readFileSync(join(root, "aws", "calls.log"), "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as string[]);

function addKey(id: string): string {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const file = join(root, "aws", "kms", `${id.replace(/[/:]/g, "_")}.pem`);
  writeFileSync(file, privateKey.export({ type: "pkcs8", format: "pem" }));
  writeFileSync(file.replace(/\.pem$/, ".algorithm"), ALGORITHM);
  return file;
}

function run(script: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync("bash", [script, ...args], {
    encoding: "utf8",
    env: { ...process.env, PATH: `${FAKE_AWS}:${process.env.PATH}`, FAKE_AWS_ROOT: join(root, "aws"), ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function publish(version: string, key = KEY) {
  return run(PUBLISH, [join(root, "model"), BUCKET, `models/fraud/${version}/`, key, ALGORITHM]);
}

function verifyVersion(version: string) {
  const modelDir = join(root, `served-${version}`);
  mkdirSync(modelDir, { recursive: true });
  writeFileSync(join(modelDir, "left-over"), "from an earlier start");
  const result = run(VERIFY, [], {
    MODEL_BUCKET: BUCKET,
    MODEL_VERSION_PREFIX: `models/fraud/${version}/`,
    SIGNING_KEY_ID: KEY,
    SIGNING_ALGORITHM: ALGORITHM,
    MODEL_DIR: modelDir,
    WORK_DIR: join(root, `work-${version}`),
  });
  return { ...result, modelDir };
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "verify-model-"));
  mkdirSync(join(root, "aws", "kms"), { recursive: true });
  mkdirSync(join(root, "aws", "s3", BUCKET), { recursive: true });
  writeFileSync(join(root, "aws", "calls.log"), "");
  addKey(KEY);
  addKey(OTHER_KEY);
  mkdirSync(join(root, "model", "tokenizer"), { recursive: true });
  writeFileSync(join(root, "model", "model.safetensors"), Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 251)));
  writeFileSync(join(root, "model", "config.json"), '{"threshold": 0.8}\n');
  writeFileSync(join(root, "model", "tokenizer", "vocab.txt"), "fraud\nlegit\n");
  expect(publish("good")).toMatchObject({ status: 0 });
  expect(publish("other-key", OTHER_KEY)).toMatchObject({ status: 0 });
  // The fixtures, copies of the good version: a file changed after signing, the signature gone, a file the manifest
  // does not list, a manifest naming a path outside the folder.
  for (const version of ["tampered", "unsigned", "extra", "traversal"]) {
    cpSync(s3("models/fraud/good"), s3(`models/fraud/${version}`), { recursive: true });
  }
  writeFileSync(s3("models/fraud/tampered/files/model.safetensors"), "a different model");
  rmSync(s3("models/fraud/unsigned/manifest.sig"));
  writeFileSync(s3("models/fraud/extra/files/backdoor.py"), "import os\n");
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("publish-model.sh (the model release step)", () => {
  it("writes every file, a manifest of their SHA-256 and a signature of the manifest that ECDSA-SHA256 verifies", () => {
    const manifest = readFileSync(s3("models/fraud/good/manifest.sha256"), "utf8");
    expect(
      manifest
        .trim()
        .split("\n")
        .map((line) => line.slice(66)),
    ).toEqual(["./config.json", "./model.safetensors", "./tokenizer/vocab.txt"]);
    const keyFile = join(root, "aws", "kms", `${KEY.replace(/[/:]/g, "_")}.pem`);
    const publicKey = createPublicKey(readFileSync(keyFile));
    // KMS's ECDSA_SHA_256 over the digest is plain ECDSA-SHA256 over the manifest: any verifier can check it.
    const signature = readFileSync(s3("models/fraud/good/manifest.sig"));
    expect(verify("sha256", Buffer.from(manifest), publicKey, signature)).toBe(true);
    expect(verify("sha256", Buffer.from(`${manifest} `), publicKey, signature)).toBe(false);
  });

  it("refuses to publish over a published version", () => {
    const result = publish("good");
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("is published already");
  });

  it("refuses a file name a pod would refuse", () => {
    const folder = join(root, "odd-model");
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, "my model.bin"), "x");
    const result = run(PUBLISH, [folder, BUCKET, "models/odd/v1/", KEY, ALGORITHM]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("file names may hold");
  });

  it("signs last, so a version whose upload broke off is unsigned", () => {
    const uploads = calls()
      .filter((c) => c[0] === "s3" && c[1] === "cp" && c.some((a) => a.includes("/models/fraud/good/")))
      .map((c) => c[c.length - 1].replace(`s3://${BUCKET}/models/fraud/good/`, ""));
    expect(uploads).toEqual(["files/", "manifest.sha256", "manifest.sig"]);
  });
});

describe("verify-model.sh (every inference pod's init container)", () => {
  it("accepts the signed model and leaves exactly its files in the model folder", () => {
    const before = calls().length;
    const result = verifyVersion("good");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`verify-model: verified 3 files of s3://${BUCKET}/models/fraud/good/`);
    expect(readFileSync(join(result.modelDir, "tokenizer", "vocab.txt"), "utf8")).toBe("fraud\nlegit\n");
    expect(() => readFileSync(join(result.modelDir, "left-over"))).toThrow();
    // It reads the store and asks KMS to verify: nothing else, and nothing written back.
    const made = calls().slice(before);
    expect(made.map((c) => `${c[0]} ${c[1]}`)).toEqual(["s3 cp", "s3 cp", "kms verify", "s3 cp"]);
    for (const c of made.filter((c) => c[0] === "s3")) expect(c[c.length - 2]).toMatch(/^s3:\/\//);
  });

  it.each([
    ["tampered", 7, "files differ from the signed manifest"],
    ["other-key", 4, `is not valid for ${KEY}`],
    ["unsigned", 3, "the model version is not signed"],
    ["missing", 2, "no manifest at"],
    ["extra", 8, "backdoor.py is not in the signed manifest"],
  ])("refuses the %s model (exit %i) and says why", (version, code, why) => {
    const result = verifyVersion(version);
    expect(result.status).toBe(code);
    expect(result.stderr).toContain("verify-model: REFUSED:");
    expect(result.stderr).toContain(why);
  });

  it("refuses a signed manifest whose paths leave the model folder, before downloading anything", () => {
    const manifest = s3("models/fraud/traversal/manifest.sha256");
    appendFileSync(manifest, `${"0".repeat(64)}  ./../../etc/passwd\n`);
    const digest = join(root, "traversal.digest");
    writeFileSync(digest, createHash("sha256").update(readFileSync(manifest)).digest());
    const keyFile = join(root, "aws", "kms", `${KEY.replace(/[/:]/g, "_")}.pem`);
    const signed = spawnSync("openssl", ["pkeyutl", "-sign", "-inkey", keyFile, "-in", digest]);
    writeFileSync(s3("models/fraud/traversal/manifest.sig"), signed.stdout);
    const result = verifyVersion("traversal");
    expect(result.status).toBe(5);
    expect(result.stderr).toContain("which is not a plain path inside the model folder");
  });

  it("refuses to run without its configuration", () => {
    const result = run(VERIFY, [], { MODEL_BUCKET: BUCKET });
    expect(result.status).toBe(64);
    expect(result.stderr).toContain("MODEL_VERSION_PREFIX is not set");
  });
});
