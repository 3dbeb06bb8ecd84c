import { PolicyDocument } from "../../../constructs/identity/policy-document";
import { ModelStore } from "../../../constructs/storage/model-store";
import {
  type AccessRequest,
  type Decision,
  decide,
  materializePolicy,
  type PolicyJson,
} from "../../../policies/iam-simulation";
import { resourcesOf, synthJson, testStack } from "../../support/synth";
import { STORE_PROPS, TestRole } from "../../support/model-store";

/**
 * The model store's access matrix, simulated against the synthesized bucket and key policies: who may read, write,
 * delete and unlock models, and how.
 */

const ACCOUNT = "111122223333";
const ROLE = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const SESSION = (name: string) => `arn:aws:sts::${ACCOUNT}:assumed-role/${name}/session`;
const READER = ROLE("fraud-inference");
const ADMIN = ROLE("platform-admin");
const ENDPOINT = "vpce-0123456789abcdef0";
const BUCKET = "arn:aws:s3:::smd-test-models";
const OBJECT = (key: string) => `${BUCKET}/${key}`;
const FRAUD = OBJECT("models/fraud/v3/model.safetensors");
const CHURN = OBJECT("models/churn/v1/model.safetensors");
const STORE_KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
const OTHER_KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/99999999-2222-3333-4444-555555555555`;
const SIGNING_KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/mrk-signing`;

const readerRole = new TestRole(READER);
const stack = testStack();
const store = new ModelStore(stack, "Models", STORE_PROPS);
store.grantRead(readerRole, "models/fraud/");
const json = synthJson(stack);

function valueFor(expression: string): string | undefined {
  if (expression.endsWith(".account_id")) return ACCOUNT;
  if (expression.endsWith(".issuer_arn")) return ROLE("ci-apply");
  if (/^aws_kms_key\.Models_Key_\w+\.arn$/.test(expression)) return STORE_KEY;
  return undefined;
}
const bucketPolicy = materializePolicy(
  Object.values(resourcesOf(json, "aws_s3_bucket_policy")).find((p) =>
    String(p.policy).includes("DenyReadsOutsideVpcEndpoint"),
  )?.policy,
  valueFor,
);
const keyPolicyOf = (usage: string) =>
  materializePolicy(
    Object.values(resourcesOf(json, "aws_kms_key")).find((k) => k.key_usage === usage)?.policy,
    valueFor,
  );
const storeKeyPolicy = keyPolicyOf("ENCRYPT_DECRYPT");
const signingKeyPolicy = keyPolicyOf("SIGN_VERIFY");
const readerPolicy = new PolicyDocument("reader", readerRole.statements).toObject() as unknown as PolicyJson;
/** What an administrator (or a compromised deploy role) might hold: every S3 action. */
const S3_EVERYTHING: PolicyJson = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "s3:*", Resource: [BUCKET, `${BUCKET}/*`] }],
};

/** Through the gateway endpoint, over TLS 1.3: how a pod in the VPC reaches the store. */
const IN_VPC = { "aws:SourceVpce": ENDPOINT, "s3:TlsVersion": "1.3" };
const FROM_INTERNET = { "s3:TlsVersion": "1.3" };

type S3Request = Omit<AccessRequest, "resourceAccount" | "resourcePolicy">;
const s3 = (request: S3Request, policy: PolicyJson = bucketPolicy) =>
  decide({ ...request, resourceAccount: ACCOUNT, resourcePolicy: policy });
const onKey = (request: Omit<AccessRequest, "resourceAccount" | "resourcePolicy" | "resource">, key = "store") =>
  decide({
    ...request,
    resource: key === "store" ? STORE_KEY : SIGNING_KEY,
    resourceAccount: ACCOUNT,
    resourcePolicy: key === "store" ? storeKeyPolicy : signingKeyPolicy,
  });
const VIA_S3 = { "kms:ViaService": "s3.eu-west-1.amazonaws.com", "kms:EncryptionContext:aws:s3:arn": BUCKET };

/** Requests of one role's session, holding `identity` as its own policies. */
const by =
  (role: string, identity: PolicyJson[] = []) =>
  (action: string, resource: string, context: Record<string, string>): S3Request => ({
    principal: SESSION(role),
    action,
    resource,
    identityPolicies: identity,
    context,
  });
const reader = by("fraud-inference", [readerPolicy]);
const publisher = by("ci-model-publisher");
/** The publisher, had someone given it every S3 action in its own policy. */
const widenedPublisher = by("ci-model-publisher", [S3_EVERYTHING]);
const admin = by("platform-admin", [S3_EVERYTHING]);
const breakGlass = by("break-glass", [S3_EVERYTHING]);
const KMS_HEADERS = (key: string) => ({
  ...FROM_INTERNET,
  "s3:x-amz-server-side-encryption": "aws:kms",
  "s3:x-amz-server-side-encryption-aws-kms-key-id": key,
});

/** The reader's requests; each row must come out as its decision. */
const READER_MATRIX: [string, S3Request, Decision][] = [
  ["gets a model under its prefix in the VPC", reader("s3:GetObject", FRAUD, IN_VPC), "Allowed"],
  ["gets an older version of it", reader("s3:GetObjectVersion", FRAUD, IN_VPC), "Allowed"],
  ["lists its prefix", reader("s3:ListBucket", BUCKET, { ...IN_VPC, "s3:prefix": "models/fraud/v3/" }), "Allowed"],
  ["cannot get another model", reader("s3:GetObject", CHURN, IN_VPC), "ImplicitlyDenied"],
  [
    "cannot list another prefix",
    reader("s3:ListBucket", BUCKET, { ...IN_VPC, "s3:prefix": "models/churn/" }),
    "ImplicitlyDenied",
  ],
  ["cannot put a model", reader("s3:PutObject", FRAUD, IN_VPC), "ExplicitlyDenied"],
  ["cannot delete a model", reader("s3:DeleteObject", FRAUD, IN_VPC), "ExplicitlyDenied"],
  ["cannot delete a version", reader("s3:DeleteObjectVersion", FRAUD, IN_VPC), "ExplicitlyDenied"],
  [
    "cannot read without TLS",
    reader("s3:GetObject", FRAUD, { ...IN_VPC, "aws:SecureTransport": "false" }),
    "ExplicitlyDenied",
  ],
  [
    "cannot read over TLS 1.1",
    reader("s3:GetObject", FRAUD, { ...IN_VPC, "s3:TlsVersion": "1.1" }),
    "ExplicitlyDenied",
  ],
  ["cannot read from outside the VPC endpoint", reader("s3:GetObject", FRAUD, FROM_INTERNET), "ExplicitlyDenied"],
  [
    "cannot read through another VPC's endpoint",
    reader("s3:GetObject", FRAUD, { ...IN_VPC, "aws:SourceVpce": "vpce-0fffffffffffffff0" }),
    "ExplicitlyDenied",
  ],
  [
    "cannot list from outside the VPC endpoint",
    reader("s3:ListBucket", BUCKET, { ...FROM_INTERNET, "s3:prefix": "models/fraud/" }),
    "ExplicitlyDenied",
  ],
];

/** The publisher's, the break-glass role's and everyone else's requests. */
const WRITE_MATRIX: [string, S3Request, Decision][] = [
  [
    "the publisher puts a model under the default encryption (the store's key)",
    publisher("s3:PutObject", FRAUD, FROM_INTERNET),
    "Allowed",
  ],
  [
    "the publisher puts a model naming SSE-KMS and the store's key",
    publisher("s3:PutObject", FRAUD, KMS_HEADERS(STORE_KEY)),
    "Allowed",
  ],
  [
    "the publisher cannot put under another key",
    publisher("s3:PutObject", FRAUD, KMS_HEADERS(OTHER_KEY)),
    "ExplicitlyDenied",
  ],
  [
    "the publisher cannot put with SSE-S3",
    publisher("s3:PutObject", FRAUD, { ...FROM_INTERNET, "s3:x-amz-server-side-encryption": "AES256" }),
    "ExplicitlyDenied",
  ],
  [
    "the publisher cannot put outside its prefix",
    publisher("s3:PutObject", OBJECT("other/model.bin"), FROM_INTERNET),
    "ImplicitlyDenied",
  ],
  ["the publisher reads back what it published, from CI", publisher("s3:GetObject", FRAUD, FROM_INTERNET), "Allowed"],
  [
    "the publisher cannot delete a model",
    widenedPublisher("s3:DeleteObject", FRAUD, FROM_INTERNET),
    "ExplicitlyDenied",
  ],
  [
    "the publisher cannot delete a version",
    widenedPublisher("s3:DeleteObjectVersion", FRAUD, FROM_INTERNET),
    "ExplicitlyDenied",
  ],
  [
    "the publisher cannot shorten retention",
    widenedPublisher("s3:PutObjectRetention", FRAUD, FROM_INTERNET),
    "ExplicitlyDenied",
  ],
  [
    "the publisher cannot bypass governance retention",
    widenedPublisher("s3:BypassGovernanceRetention", FRAUD, FROM_INTERNET),
    "ExplicitlyDenied",
  ],
  ["an administrator with s3:* cannot put a model", admin("s3:PutObject", FRAUD, IN_VPC), "ExplicitlyDenied"],
  [
    "an administrator with s3:* cannot delete a version",
    admin("s3:DeleteObjectVersion", FRAUD, IN_VPC),
    "ExplicitlyDenied",
  ],
  [
    "an administrator with s3:* cannot shorten retention",
    admin("s3:PutObjectRetention", FRAUD, IN_VPC),
    "ExplicitlyDenied",
  ],
  [
    "an administrator with s3:* cannot bypass governance retention",
    admin("s3:BypassGovernanceRetention", FRAUD, IN_VPC),
    "ExplicitlyDenied",
  ],
  [
    "an administrator with s3:* cannot change the bucket policy",
    admin("s3:PutBucketPolicy", BUCKET, FROM_INTERNET),
    "ExplicitlyDenied",
  ],
  [
    "an administrator with s3:* cannot change the Object Lock",
    admin("s3:PutBucketObjectLockConfiguration", BUCKET, FROM_INTERNET),
    "ExplicitlyDenied",
  ],
  [
    "an administrator with s3:* cannot read from outside the VPC",
    admin("s3:GetObject", FRAUD, FROM_INTERNET),
    "ExplicitlyDenied",
  ],
  ["an administrator with s3:* cannot tag a model", admin("s3:PutObjectTagging", FRAUD, IN_VPC), "ExplicitlyDenied"],
  [
    "the account's root user cannot delete a version",
    { principal: `arn:aws:iam::${ACCOUNT}:root`, action: "s3:DeleteObjectVersion", resource: FRAUD, context: IN_VPC },
    "ExplicitlyDenied",
  ],
  ["break-glass deletes a version", breakGlass("s3:DeleteObjectVersion", FRAUD, FROM_INTERNET), "Allowed"],
  [
    "break-glass bypasses governance retention",
    breakGlass("s3:BypassGovernanceRetention", FRAUD, FROM_INTERNET),
    "Allowed",
  ],
  ["break-glass changes retention", breakGlass("s3:PutObjectRetention", FRAUD, FROM_INTERNET), "Allowed"],
  ["break-glass changes the bucket policy", breakGlass("s3:PutBucketPolicy", BUCKET, FROM_INTERNET), "Allowed"],
  ["break-glass reads from outside the VPC", breakGlass("s3:GetObject", FRAUD, FROM_INTERNET), "Allowed"],
  [
    "break-glass still cannot write a model: only publishers write",
    breakGlass("s3:PutObject", FRAUD, FROM_INTERNET),
    "ExplicitlyDenied",
  ],
  [
    "break-glass cannot delete over plain HTTP",
    breakGlass("s3:DeleteObjectVersion", FRAUD, { ...FROM_INTERNET, "aws:SecureTransport": "false" }),
    "ExplicitlyDenied",
  ],
];

describe("IAM simulation of the model store", () => {
  describe("the reader (a workload granted models/fraud/)", () => {
    it.each(READER_MATRIX)("%s", async (_case, request, expected) => {
      expect(await s3(request)).toBe(expected);
    });

    it("decrypts only via S3 in this region and for this bucket", async () => {
      const decrypt = (context: Record<string, string>) =>
        onKey({ principal: SESSION("fraud-inference"), action: "kms:Decrypt", context });
      expect(await decrypt(VIA_S3)).toBe("Allowed");
      expect(await decrypt({ "kms:EncryptionContext:aws:s3:arn": BUCKET })).toBe("ImplicitlyDenied");
      expect(await decrypt({ ...VIA_S3, "kms:ViaService": "s3.us-east-1.amazonaws.com" })).toBe("ImplicitlyDenied");
      expect(await decrypt({ ...VIA_S3, "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::another-bucket" })).toBe(
        "ImplicitlyDenied",
      );
      expect(
        await onKey({ principal: SESSION("fraud-inference"), action: "kms:GenerateDataKey", context: VIA_S3 }),
      ).toBe("ImplicitlyDenied");
    });

    it("verifies signatures and reads the public key, but cannot sign", async () => {
      const algorithm = { "kms:SigningAlgorithm": "ECDSA_SHA_256" };
      expect(
        await onKey({ principal: SESSION("fraud-inference"), action: "kms:Verify", context: algorithm }, "signing"),
      ).toBe("Allowed");
      expect(await onKey({ principal: SESSION("fraud-inference"), action: "kms:GetPublicKey" }, "signing")).toBe(
        "Allowed",
      );
      expect(
        await onKey({ principal: SESSION("fraud-inference"), action: "kms:Sign", context: algorithm }, "signing"),
      ).toBe("ImplicitlyDenied");
    });
  });

  describe("writes, deletes and retention", () => {
    it.each(WRITE_MATRIX)("%s", async (_case, request, expected) => {
      expect(await s3(request)).toBe(expected);
    });

    it("lets the publisher generate data keys via S3 for this bucket only, and sign with the one algorithm", async () => {
      const generate = (context: Record<string, string>) =>
        onKey({ principal: SESSION("ci-model-publisher"), action: "kms:GenerateDataKey", context });
      expect(await generate(VIA_S3)).toBe("Allowed");
      expect(await generate({ ...VIA_S3, "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::another-bucket" })).toBe(
        "ImplicitlyDenied",
      );
      expect(await generate({ "kms:EncryptionContext:aws:s3:arn": BUCKET })).toBe("ImplicitlyDenied");
      const sign = (algorithm: string) =>
        onKey(
          {
            principal: SESSION("ci-model-publisher"),
            action: "kms:Sign",
            context: { "kms:SigningAlgorithm": algorithm },
          },
          "signing",
        );
      expect(await sign("ECDSA_SHA_256")).toBe("Allowed");
      expect(await sign("RSASSA_PSS_SHA_256")).toBe("ImplicitlyDenied");
    });

    it("gives no one else the signing key: an administrator with kms:* in its own policy cannot sign", async () => {
      const kmsEverything: PolicyJson = {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }],
      };
      expect(
        await onKey(
          {
            principal: SESSION("platform-admin"),
            action: "kms:Sign",
            identityPolicies: [kmsEverything],
            context: { "kms:SigningAlgorithm": "ECDSA_SHA_256" },
          },
          "signing",
        ),
      ).toBe("ImplicitlyDenied");
      expect(ADMIN).toMatch(/platform-admin/);
    });
  });

  describe("the checks can fail", () => {
    const without = (sid: string): PolicyJson => ({
      ...bucketPolicy,
      Statement: bucketPolicy.Statement.filter((s) => s.Sid !== sid),
    });

    it("without the VPC-endpoint condition, the reader could read from the internet: the matrix would fail", async () => {
      const row = READER_MATRIX.find(([name]) => name === "cannot read from outside the VPC endpoint");
      if (!row) throw new Error("row missing");
      const mutated = without("DenyReadsOutsideVpcEndpoint");
      expect(await s3(row[1], mutated)).toBe("Allowed");
      expect(await s3(row[1], mutated)).not.toBe(row[2]);
    });

    it("without the write denial, an administrator could overwrite a model", async () => {
      const request = WRITE_MATRIX.find(([name]) => name === "an administrator with s3:* cannot put a model")?.[1];
      if (!request) throw new Error("row missing");
      expect(await s3(request, without("DenyObjectWritesByOthers"))).toBe("Allowed");
    });

    it("without the destructive-change denial, an administrator could delete a version", async () => {
      const request = WRITE_MATRIX.find(([name]) => name === "an administrator with s3:* cannot delete a version")?.[1];
      if (!request) throw new Error("row missing");
      expect(await s3(request, without("DenyDestructiveChangesByOthers"))).toBe("Allowed");
    });

    it("without the key-id denial, the publisher could upload under another key", async () => {
      const request = WRITE_MATRIX.find(([name]) => name === "the publisher cannot put under another key")?.[1];
      if (!request) throw new Error("row missing");
      expect(await s3(request, without("DenyUploadsUnderOtherKeys"))).toBe("Allowed");
    });
  });
});
