import { PolicyDocument } from "../../../constructs/identity/policy-document";
import { KmsKey } from "../../../constructs/keys/kms-key";
import { SecureBucket, type SecureBucketProps } from "../../../constructs/storage/secure-bucket";
import type { GuardrailsReport } from "../../../policies/guardrails/guardrails-report";
import { decide, materializePolicy, type PolicyJson } from "../../../policies/iam-simulation";
import { guardedSynth } from "../../support/guardrails";
import { TestRole } from "../../support/model-store";
import { resourcesOf, statementsOf, synthJson, testStack } from "../../support/synth";

function build(props: Partial<SecureBucketProps> = {}) {
  const stack = testStack();
  const key = new KmsKey(stack, "Key", { alias: "models" });
  const logs = new SecureBucket(stack, "Logs", {
    bucketName: "smd-test-logs",
    receivesAccessLogs: true,
    expirationDays: 365,
  });
  const bucket = new SecureBucket(stack, "Models", {
    bucketName: "smd-test-models",
    encryptionKey: key,
    accessLogs: { bucket: logs, prefix: "models/" },
    ...props,
  });
  return { stack, bucket, logs };
}

describe("SecureBucket", () => {
  const { stack } = build();
  const json = synthJson(stack);
  const of = (type: string) => Object.values(resourcesOf(json, type));

  it("creates both buckets protected from destroy, with every companion", () => {
    expect(of("aws_s3_bucket")).toEqual([
      expect.objectContaining({ bucket: "smd-test-logs", force_destroy: false, lifecycle: { prevent_destroy: true } }),
      expect.objectContaining({
        bucket: "smd-test-models",
        force_destroy: false,
        lifecycle: { prevent_destroy: true },
      }),
    ]);
    for (const type of [
      "aws_s3_bucket_public_access_block",
      "aws_s3_bucket_ownership_controls",
      "aws_s3_bucket_server_side_encryption_configuration",
      "aws_s3_bucket_versioning",
      "aws_s3_bucket_lifecycle_configuration",
      "aws_s3_bucket_notification",
      "aws_s3_bucket_policy",
    ]) {
      expect([type, of(type).length]).toEqual([type, 2]);
    }
    expect(of("aws_s3_bucket_logging")).toEqual([expect.objectContaining({ target_prefix: "models/" })]);
  });

  it("encrypts with the customer key and S3 Bucket Keys, and the log bucket with SSE-S3 as log delivery requires", () => {
    const rules = of("aws_s3_bucket_server_side_encryption_configuration").map(
      (c) => (c.rule as Record<string, Record<string, unknown>>[])[0].apply_server_side_encryption_by_default,
    );
    expect(rules).toEqual([
      { sse_algorithm: "AES256" },
      { sse_algorithm: "aws:kms", kms_master_key_id: expect.stringMatching(/aws_kms_key/) },
    ]);
  });

  it("expires old versions, aborts stale uploads, and expires logs after their retention", () => {
    const [logs, models] = of("aws_s3_bucket_lifecycle_configuration").map(
      (l) => (l.rule as Record<string, unknown>[])[0],
    );
    expect(models).toMatchObject({
      status: "Enabled",
      noncurrent_version_expiration: [{ noncurrent_days: 90 }],
      abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
    });
    expect(models.expiration).toBeUndefined();
    expect(logs).toMatchObject({ expiration: [{ days: 365 }] });
  });

  it("denies requests without TLS or with TLS older than 1.2, and admits log delivery only from its source bucket", () => {
    const [logs, models] = of("aws_s3_bucket_policy").map((p) => statementsOf(p.policy));
    expect(models.map((s) => s.Sid)).toEqual(["DenyInsecureTransport", "DenyOutdatedTls"]);
    expect(models[1].Condition).toEqual({ NumericLessThan: { "s3:TlsVersion": "1.2" } });
    expect(logs[2]).toMatchObject({
      Sid: "AccessLogDelivery1",
      Principal: { Service: ["logging.s3.amazonaws.com"] },
      Action: ["s3:PutObject"],
      Condition: { ArnLike: { "aws:SourceArn": "arn:aws:s3:::smd-test-models" } },
    });
  });

  it("passes every guardrail, the log bucket with its two recorded, explained suppressions", () => {
    const result = guardedSynth((s) => {
      const key = new KmsKey(s, "Key", { alias: "models" });
      const logs = new SecureBucket(s, "Logs", { bucketName: "smd-test-logs", receivesAccessLogs: true });
      new SecureBucket(s, "Models", {
        bucketName: "smd-test-models",
        encryptionKey: key,
        accessLogs: { bucket: logs, prefix: "m/" },
      });
    });
    expect(result.open.map((f) => f.message)).toEqual([]);
    const report: GuardrailsReport = result.report;
    const suppressed = report.stacks[0].findings.filter((f) => f.suppressedBy).map((f) => `${f.ruleId} ${f.path}`);
    expect(suppressed.sort()).toEqual(["SMD-S3-2 fixture/Logs/Bucket", "SMD-S3-4 fixture/Logs/Bucket"]);
  });

  it.each<[string, Partial<SecureBucketProps>, string]>([
    [
      "an invalid name",
      { bucketName: "Models_Bucket" },
      'bucketName = "Models_Bucket" is not allowed; allowed: an S3 bucket name',
    ],
    ["no key", { encryptionKey: undefined }, "encryptionKey = undefined is not allowed; allowed: a KmsKey (SSE-KMS)"],
    ["no access logs", { accessLogs: undefined }, "accessLogs = undefined is not allowed"],
    ["a retention too long", { noncurrentVersionExpirationDays: 5000 }, "noncurrentVersionExpirationDays = 5000"],
  ])("rejects %s", (_case, props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  it("blocks SSE-C uploads on every bucket", () => {
    for (const c of of("aws_s3_bucket_server_side_encryption_configuration")) {
      expect((c.rule as Record<string, unknown>[])[0].blocked_encryption_types).toEqual(["SSE-C"]);
    }
  });

  it("writes its policy after every other part of the bucket", () => {
    const policy = of("aws_s3_bucket_policy").find((p) => String(p.bucket).includes("Models_Bucket"));
    expect(((policy?.depends_on ?? []) as string[]).map((d) => d.split(".")[0]).sort()).toEqual([
      "aws_s3_bucket_lifecycle_configuration",
      "aws_s3_bucket_logging",
      "aws_s3_bucket_notification",
      "aws_s3_bucket_ownership_controls",
      "aws_s3_bucket_public_access_block",
      "aws_s3_bucket_server_side_encryption_configuration",
      "aws_s3_bucket_versioning",
    ]);
  });

  it("turns Object Lock on with a default retention, and keeps old versions at least as long as the lock", () => {
    const locked = synthJson(
      build({ objectLock: { mode: "COMPLIANCE", days: 60 }, noncurrentVersionExpirationDays: 60 }).stack,
    );
    const bucket = Object.values(resourcesOf(locked, "aws_s3_bucket")).find((b) => b.bucket === "smd-test-models");
    expect(bucket?.object_lock_enabled).toBe(true);
    expect(Object.values(resourcesOf(locked, "aws_s3_bucket_object_lock_configuration"))).toEqual([
      expect.objectContaining({ rule: { default_retention: { mode: "COMPLIANCE", days: 60 } } }),
    ]);
    expect(() => build({ objectLock: { mode: "GOVERNANCE", days: 120 } })).toThrow(
      "noncurrentVersionExpirationDays = 90 is not allowed; allowed: at least objectLock.days (120)",
    );
    expect(() => build({ objectLock: { mode: "GOVERNANCE", days: 0 } })).toThrow("objectLock.days = 0");
  });

  it("renders statements added for later grants on every synth, the same each time", () => {
    const { stack, bucket } = build();
    let writers = ["arn:aws:iam::111122223333:role/a"];
    bucket.addDeferredToResourcePolicy(() => ({
      sid: "DenyOthers",
      effect: "Deny",
      anyPrincipal: true,
      actions: ["s3:PutObject"],
      resources: [bucket.arnForObjects()],
      conditions: { ArnNotEquals: { "aws:PrincipalArn": writers } },
    }));
    writers = [...writers, "arn:aws:iam::111122223333:role/b"];
    const policyOf = () =>
      Object.values(resourcesOf(synthJson(stack), "aws_s3_bucket_policy")).find((p) =>
        String(p.policy).includes("DenyOthers"),
      )?.policy;
    const first = policyOf();
    expect(policyOf()).toBe(first);
    expect(statementsOf(first).find((s) => s.Sid === "DenyOthers")?.Condition).toEqual({
      ArnNotEquals: { "aws:PrincipalArn": ["arn:aws:iam::111122223333:role/a", "arn:aws:iam::111122223333:role/b"] },
    });
  });

  it("puts a bucket in another region with a log bucket of that region, and refuses one of another", () => {
    const stack2 = testStack();
    const key = new KmsKey(stack2, "Key", { alias: "k", region: "eu-central-1" });
    const here = new SecureBucket(stack2, "Logs", { bucketName: "smd-logs", receivesAccessLogs: true });
    const there = new SecureBucket(stack2, "ThereLogs", {
      bucketName: "smd-logs-there",
      receivesAccessLogs: true,
      region: "eu-central-1",
    });
    new SecureBucket(stack2, "Replica", {
      bucketName: "smd-replica",
      region: "eu-central-1",
      encryptionKey: key,
      accessLogs: { bucket: there, prefix: "r/" },
    });
    const json = synthJson(stack2);
    for (const type of ["aws_s3_bucket", "aws_s3_bucket_versioning", "aws_s3_bucket_policy"]) {
      const regions = Object.values(resourcesOf(json, type)).map((r) => r.region ?? "stack");
      expect([type, regions.sort()]).toEqual([type, ["eu-central-1", "eu-central-1", "stack"]]);
    }
    expect(
      () =>
        new SecureBucket(stack2, "Wrong", {
          bucketName: "smd-wrong",
          region: "eu-central-1",
          encryptionKey: key,
          accessLogs: { bucket: here, prefix: "w/" },
        }),
    ).toThrow(
      'accessLogs.bucket = "smd-logs" is not allowed; allowed: a log bucket in this bucket\'s region (eu-central-1)',
    );
  });

  it("rejects a log bucket that is not one, and a log bucket with a KMS key", () => {
    const stack2 = testStack();
    const key = new KmsKey(stack2, "Key", { alias: "k" });
    const logs = new SecureBucket(stack2, "Logs", { bucketName: "smd-logs", receivesAccessLogs: true });
    const other = new SecureBucket(stack2, "Other", {
      bucketName: "smd-other",
      encryptionKey: key,
      accessLogs: { bucket: logs, prefix: "o/" },
    });
    expect(
      () =>
        new SecureBucket(stack2, "Bad", {
          bucketName: "smd-bad",
          encryptionKey: key,
          accessLogs: { bucket: other, prefix: "b/" },
        }),
    ).toThrow('accessLogs.bucket = "smd-other" is not allowed; allowed: a SecureBucket made with receivesAccessLogs');
    expect(
      () => new SecureBucket(stack2, "Bad2", { bucketName: "smd-bad2", receivesAccessLogs: true, encryptionKey: key }),
    ).toThrow("S3 delivers server access logs only to SSE-S3 buckets");
  });

  describe("grants", () => {
    const ACCOUNT = "111122223333";
    const SESSION = (name: string) => `arn:aws:sts::${ACCOUNT}:assumed-role/${name}/session`;
    const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
    const BUCKET = "arn:aws:s3:::smd-test-models";
    const VIA_S3 = { "kms:ViaService": "s3.eu-west-1.amazonaws.com", "kms:EncryptionContext:aws:s3:arn": BUCKET };
    const built = build();
    const reader = new TestRole(`arn:aws:iam::${ACCOUNT}:role/team-reader`);
    const writer = new TestRole(`arn:aws:iam::${ACCOUNT}:role/team-writer`);
    built.bucket.grantRead(reader, "datasets/churn/");
    built.bucket.grantReadWrite(writer, "datasets/churn/");
    built.bucket.grantRead(`arn:aws:iam::${ACCOUNT}:role/auditor`);
    const grantsJson = synthJson(built.stack);
    const valueFor = (expression: string) => {
      if (expression.endsWith(".account_id")) return ACCOUNT;
      if (expression.endsWith(".issuer_arn")) return `arn:aws:iam::${ACCOUNT}:role/ci-apply`;
      if (/^aws_kms_key\.Key_\w+\.arn$/.test(expression)) return KEY;
      return undefined;
    };
    const keyPolicy = materializePolicy(Object.values(resourcesOf(grantsJson, "aws_kms_key"))[0].policy, valueFor);
    const bucketPolicy = materializePolicy(
      Object.values(resourcesOf(grantsJson, "aws_s3_bucket_policy")).find((p) =>
        String(p.policy).includes("ReadObjects"),
      )?.policy,
      valueFor,
    );
    const identity = (role: TestRole) =>
      new PolicyDocument("role", role.statements).toObject() as unknown as PolicyJson;
    const request = (role: TestRole | string, action: string, resource: string, context = {}) => ({
      principal: SESSION(typeof role === "string" ? role : (role.arn.split("/").at(-1) ?? "")),
      identityPolicies: typeof role === "string" ? [] : [identity(role)],
      action,
      resource,
      resourceAccount: ACCOUNT,
      context,
    });
    const onBucket = (r: ReturnType<typeof request>) => decide({ ...r, resourcePolicy: bucketPolicy });
    const onKey = (r: ReturnType<typeof request>) => decide({ ...r, resourcePolicy: keyPolicy });
    const CHURN = `${BUCKET}/datasets/churn/2026-12/part-0.parquet`;
    const OTHER = `${BUCKET}/datasets/fraud/part-0.parquet`;

    it("let a reader read and list its prefix, decrypt via S3 for this bucket only, and nothing more", async () => {
      expect(await onBucket(request(reader, "s3:GetObject", CHURN))).toBe("Allowed");
      expect(await onBucket(request(reader, "s3:ListBucket", BUCKET, { "s3:prefix": "datasets/churn/" }))).toBe(
        "Allowed",
      );
      expect(await onBucket(request(reader, "s3:GetObject", OTHER))).toBe("ImplicitlyDenied");
      expect(await onBucket(request(reader, "s3:PutObject", CHURN))).toBe("ImplicitlyDenied");
      expect(await onKey(request(reader, "kms:Decrypt", KEY, VIA_S3))).toBe("Allowed");
      expect(
        await onKey(
          request(reader, "kms:Decrypt", KEY, { ...VIA_S3, "kms:ViaService": "sqs.eu-west-1.amazonaws.com" }),
        ),
      ).toBe("ImplicitlyDenied");
      expect(await onKey(request(reader, "kms:GenerateDataKey", KEY, VIA_S3))).toBe("ImplicitlyDenied");
    });

    it("let a writer upload under its prefix with data keys via S3, but never delete", async () => {
      expect(await onBucket(request(writer, "s3:PutObject", CHURN))).toBe("Allowed");
      expect(await onBucket(request(writer, "s3:AbortMultipartUpload", CHURN))).toBe("Allowed");
      expect(await onBucket(request(writer, "s3:PutObject", OTHER))).toBe("ImplicitlyDenied");
      expect(await onBucket(request(writer, "s3:DeleteObject", CHURN))).toBe("ImplicitlyDenied");
      expect(await onKey(request(writer, "kms:GenerateDataKey", KEY, VIA_S3))).toBe("Allowed");
    });

    it("put an ARN's grant in the bucket policy, and every key grant in the key policy", async () => {
      expect(await onBucket(request("auditor", "s3:GetObject", OTHER))).toBe("Allowed");
      expect(await onBucket(request("auditor", "s3:PutObject", OTHER))).toBe("ImplicitlyDenied");
      expect(await onKey(request("auditor", "kms:Decrypt", KEY, VIA_S3))).toBe("Allowed");
      expect(await onKey(request("stranger", "kms:Decrypt", KEY, VIA_S3))).toBe("ImplicitlyDenied");
      expect(reader.statements.map((st) => st.sid)).toEqual(["ReadObjects1", "ReadList1"]);
    });

    it("refuse a bad prefix and inexact actions", () => {
      expect(() => built.bucket.grantRead(reader, "/abs/")).toThrow(/Models: prefix = "\/abs\/" is not allowed/);
      expect(() => built.bucket.grantObjects("Any", reader, ["s3:*"], "")).toThrow(
        /Models: actions = \["s3:\*"\] is not allowed; allowed: exact S3 actions/,
      );
    });

    it("give a log bucket's readers no key grant: it has no key", () => {
      const logsReader = new TestRole(`arn:aws:iam::${ACCOUNT}:role/log-reader`);
      built.logs.grantRead(logsReader);
      expect(logsReader.statements.map((st) => st.resources)).toEqual([
        ["arn:aws:s3:::smd-test-logs/*"],
        ["arn:aws:s3:::smd-test-logs"],
      ]);
    });
  });
});
