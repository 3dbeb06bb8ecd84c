import { ValidationError } from "../../../constructs/core/validation";
import { ModelStoreMalwareScan } from "../../../constructs/detection/model-store-malware-scan";
import { ModelTamperAlert } from "../../../constructs/detection/model-tamper-alert";
import { PermissionsBoundary } from "../../../constructs/identity/permissions-boundary";
import {
  MODEL_PROTECTED_ACTIONS,
  MODEL_READ_ACTIONS,
  ModelStore,
  type ModelStoreProps,
} from "../../../constructs/storage/model-store";
import { guardedSynth } from "../../support/guardrails";
import { STORE_PROPS, TestRole } from "../../support/model-store";
import { type RenderedStatement, resourcesOf, statementsOf, synthJson, testStack } from "../../support/synth";

const ROLE = (name: string) => `arn:aws:iam::111122223333:role/${name}`;
const PUBLISHER = ROLE("ci-model-publisher");
const BREAK_GLASS = ROLE("break-glass");
const ENDPOINT = "vpce-0123456789abcdef0";

function build(props: Partial<ModelStoreProps> = {}, configure?: (store: ModelStore) => void) {
  const stack = testStack();
  const store = new ModelStore(stack, "Models", { ...STORE_PROPS, ...props });
  configure?.(store);
  const json = synthJson(stack);
  const of = (type: string) => resourcesOf(json, type);
  const bucketOf = (name: string) => {
    const found = Object.entries(of("aws_s3_bucket")).find(([, b]) => b.bucket === name);
    if (!found) throw new Error(`no bucket ${name}`);
    return { address: `aws_s3_bucket.${found[0]}`, config: found[1] };
  };
  const companion = (bucket: string, type: string) =>
    Object.values(of(type)).filter((c) => c.bucket === `\${${bucketOf(bucket).address}.id}`);
  const policyOf = (bucket: string) => statementsOf(companion(bucket, "aws_s3_bucket_policy")[0].policy);
  const keys = Object.values(of("aws_kms_key"));
  const keyPolicy = (usage: string, description: RegExp) => {
    const key = keys.find((k) => k.key_usage === usage && description.test(String(k.description)));
    if (!key) throw new Error(`no ${usage} key matching ${description}`);
    return statementsOf(key.policy);
  };
  return { stack, store, json, of, bucketOf, companion, policyOf, keyPolicy };
}

const sid = (statements: RenderedStatement[], name: string) => {
  const found = statements.find((s) => s.Sid === name);
  if (!found) throw new Error(`no statement ${name} in ${statements.map((s) => s.Sid).join(", ")}`);
  return found;
};

describe("ModelStore", () => {
  const built = build();

  it("makes the model bucket SSE-KMS under its own key with Bucket Keys, versioned, locked, public-blocked, without ACLs", () => {
    const { companion, bucketOf } = built;
    expect(bucketOf("smd-test-models").config).toMatchObject({
      object_lock_enabled: true,
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
      tags: { BlueprintRole: "model-store", Name: "smd-test-models" },
    });
    expect(companion("smd-test-models", "aws_s3_bucket_server_side_encryption_configuration")[0].rule).toEqual([
      {
        apply_server_side_encryption_by_default: {
          sse_algorithm: "aws:kms",
          kms_master_key_id: expect.stringMatching(/^\$\{aws_kms_key\.Models_Key_\w+\.arn\}$/),
        },
        bucket_key_enabled: true,
        blocked_encryption_types: ["SSE-C"],
      },
    ]);
    expect(companion("smd-test-models", "aws_s3_bucket_versioning")[0]).toMatchObject({
      versioning_configuration: { status: "Enabled" },
    });
    expect(companion("smd-test-models", "aws_s3_bucket_object_lock_configuration")[0]).toMatchObject({
      rule: { default_retention: { mode: "GOVERNANCE", days: 30 } },
    });
    expect(companion("smd-test-models", "aws_s3_bucket_public_access_block")[0]).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(companion("smd-test-models", "aws_s3_bucket_ownership_controls")[0]).toMatchObject({
      rule: { object_ownership: "BucketOwnerEnforced" },
    });
    expect(companion("smd-test-models", "aws_s3_bucket_notification")[0]).toMatchObject({ eventbridge: true });
  });

  it("expires replaced versions only after their lock and aborts stale multipart uploads", () => {
    const [lifecycle] = built.companion("smd-test-models", "aws_s3_bucket_lifecycle_configuration");
    expect(lifecycle.rule).toEqual([
      expect.objectContaining({
        status: "Enabled",
        noncurrent_version_expiration: [{ noncurrent_days: 90 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      }),
    ]);
    const long = build({ objectLock: { mode: "COMPLIANCE", days: 120 } });
    expect(long.companion("smd-test-models", "aws_s3_bucket_lifecycle_configuration")[0].rule).toEqual([
      expect.objectContaining({ noncurrent_version_expiration: [{ noncurrent_days: 120 }] }),
    ]);
    expect(long.companion("smd-test-models", "aws_s3_bucket_object_lock_configuration")[0]).toMatchObject({
      rule: { default_retention: { mode: "COMPLIANCE", days: 120 } },
    });
  });

  it("logs access to a dedicated, versioned, public-blocked, protected log bucket", () => {
    const { companion, bucketOf } = built;
    expect(companion("smd-test-models", "aws_s3_bucket_logging")[0]).toMatchObject({
      target_bucket: `\${${bucketOf("smd-test-models-access-logs").address}.id}`,
      target_prefix: "model-store/",
    });
    expect(bucketOf("smd-test-models-access-logs").config).toMatchObject({ lifecycle: { prevent_destroy: true } });
    expect(companion("smd-test-models-access-logs", "aws_s3_bucket_versioning")).toHaveLength(1);
    expect(companion("smd-test-models-access-logs", "aws_s3_bucket_public_access_block")).toHaveLength(1);
  });

  it("protects both keys from destroy, and signs with an asymmetric SIGN_VERIFY key", () => {
    const keys = Object.values(built.of("aws_kms_key"));
    expect(keys).toHaveLength(2);
    for (const key of keys) expect(key).toMatchObject({ lifecycle: { prevent_destroy: true } });
    expect(keys.find((k) => k.key_usage === "SIGN_VERIFY")).toMatchObject({
      customer_master_key_spec: "ECC_NIST_P256",
      enable_key_rotation: false,
    });
  });

  it("writes its bucket policy after the rest of the bucket, so the first apply is not locked out of it", () => {
    const [policy] = built.companion("smd-test-models", "aws_s3_bucket_policy");
    const dependsOn = policy.depends_on as string[];
    for (const type of [
      "aws_s3_bucket_versioning",
      "aws_s3_bucket_lifecycle_configuration",
      "aws_s3_bucket_object_lock_configuration",
      "aws_s3_bucket_server_side_encryption_configuration",
      "aws_s3_bucket_logging",
      "aws_s3_bucket_public_access_block",
    ]) {
      expect(dependsOn.some((d) => d.startsWith(`${type}.Models_Bucket_`))).toBe(true);
    }
  });

  describe("its bucket policy", () => {
    const statements = built.policyOf("smd-test-models");

    it("denies requests without TLS or with TLS older than 1.2", () => {
      expect(sid(statements, "DenyInsecureTransport").Condition).toEqual({ Bool: { "aws:SecureTransport": false } });
      expect(sid(statements, "DenyOutdatedTls").Condition).toEqual({ NumericLessThan: { "s3:TlsVersion": "1.2" } });
    });

    it("denies uploads encrypted otherwise than with SSE-KMS under the store's key", () => {
      expect(sid(statements, "DenyUploadsNotSseKms")).toMatchObject({
        Effect: "Deny",
        Principal: "*",
        Action: ["s3:PutObject"],
        Condition: {
          Null: { "s3:x-amz-server-side-encryption": false },
          StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" },
        },
      });
      expect(sid(statements, "DenyUploadsUnderOtherKeys").Condition).toEqual({
        Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": false },
        StringNotEquals: {
          "s3:x-amz-server-side-encryption-aws-kms-key-id": expect.stringMatching(
            /^\$\{aws_kms_key\.Models_Key_\w+\.arn\}$/,
          ),
        },
      });
    });

    it("denies object writes to all but the publishers, and tag writes to all but them and the service roles", () => {
      expect(sid(statements, "DenyObjectWritesByOthers")).toMatchObject({
        Effect: "Deny",
        Principal: "*",
        Action: ["s3:PutObject"],
        Condition: { ArnNotEquals: { "aws:PrincipalArn": [PUBLISHER] } },
      });
      expect(sid(statements, "DenyTagWritesByOthers").Condition).toEqual({
        ArnNotEquals: { "aws:PrincipalArn": [PUBLISHER] },
      });
    });

    it("denies reads that do not come through the VPC endpoint, but to the publishers and the break-glass role", () => {
      expect(sid(statements, "DenyReadsOutsideVpcEndpoint")).toMatchObject({
        Effect: "Deny",
        Principal: "*",
        Action: MODEL_READ_ACTIONS,
        Resource: ["arn:aws:s3:::smd-test-models", "arn:aws:s3:::smd-test-models/*"],
        Condition: {
          StringNotEquals: { "aws:SourceVpce": [ENDPOINT] },
          ArnNotEquals: { "aws:PrincipalArn": [PUBLISHER, BREAK_GLASS] },
        },
      });
    });

    it("denies deletes, retention changes, the governance bypass and protection changes to all but break-glass", () => {
      expect(sid(statements, "DenyDestructiveChangesByOthers")).toMatchObject({
        Effect: "Deny",
        Principal: "*",
        Action: MODEL_PROTECTED_ACTIONS,
        Condition: { ArnNotEquals: { "aws:PrincipalArn": BREAK_GLASS } },
      });
      for (const action of [
        "s3:DeleteObjectVersion",
        "s3:BypassGovernanceRetention",
        "s3:PutObjectRetention",
        "s3:PutBucketPolicy",
      ]) {
        expect(MODEL_PROTECTED_ACTIONS).toContain(action);
      }
    });

    it("grants the publishers, named by ARN, exact write rights under their prefix", () => {
      expect(sid(statements, "PublishObjects1")).toEqual({
        Sid: "PublishObjects1",
        Effect: "Allow",
        Principal: { AWS: [PUBLISHER] },
        Action: [
          "s3:PutObject",
          "s3:AbortMultipartUpload",
          "s3:ListMultipartUploadParts",
          "s3:GetObject",
          "s3:GetObjectVersion",
        ],
        Resource: ["arn:aws:s3:::smd-test-models/models/*"],
      });
      expect(sid(statements, "PublishList1")).toMatchObject({
        Action: ["s3:ListBucket"],
        Resource: ["arn:aws:s3:::smd-test-models"],
        Condition: { StringLike: { "s3:prefix": "models/*" } },
      });
    });
  });

  describe("grants", () => {
    const reader = new TestRole(ROLE("fraud-inference"));
    const second = ROLE("ci-second-publisher");
    const granted = build({}, (store) => {
      store.grantRead(reader, "models/fraud/");
      store.grantPublish(second, "models/fraud/");
    });

    it("give a Grantable reader exact read rights under its prefix in its own policy, nothing in the bucket policy", () => {
      expect(reader.statements).toEqual([
        {
          sid: "ReadObjects2",
          actions: ["s3:GetObject", "s3:GetObjectVersion"],
          resources: ["arn:aws:s3:::smd-test-models/models/fraud/*"],
        },
        {
          sid: "ReadList2",
          actions: ["s3:ListBucket"],
          resources: ["arn:aws:s3:::smd-test-models"],
          conditions: { StringLike: { "s3:prefix": "models/fraud/*" } },
        },
      ]);
      expect(JSON.stringify(granted.policyOf("smd-test-models"))).not.toContain("fraud-inference");
    });

    it("let the reader decrypt only via S3 in this region and only for this bucket, and verify signatures", () => {
      const key = granted.keyPolicy("ENCRYPT_DECRYPT", /Encrypts the models/);
      const decrypt = key.find((s) => (s.Principal as { AWS: string[] }).AWS?.includes(reader.arn));
      expect(decrypt).toMatchObject({
        Action: ["kms:Decrypt", "kms:DescribeKey"],
        Condition: {
          StringEquals: {
            "kms:ViaService": "s3.eu-west-1.amazonaws.com",
            "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::smd-test-models",
          },
        },
      });
      const signing = granted.keyPolicy("SIGN_VERIFY", /Signs the models/);
      expect(sid(signing, "Verify")).toMatchObject({
        Principal: { AWS: [reader.arn] },
        Action: ["kms:Verify"],
        Condition: { StringEquals: { "kms:SigningAlgorithm": "ECDSA_SHA_256" } },
      });
      expect(sid(signing, "Sign").Principal).toEqual({ AWS: [PUBLISHER, second] });
      expect(sid(signing, "ReadPublicKey").Action).toEqual(["kms:GetPublicKey", "kms:DescribeKey"]);
    });

    it("let a publisher generate data keys (and decrypt them, for multipart uploads) under the same conditions", () => {
      const key = granted.keyPolicy("ENCRYPT_DECRYPT", /Encrypts the models/);
      const publisher = key.filter((s) => (s.Principal as { AWS: string[] }).AWS?.includes(second));
      expect(publisher).toEqual([
        expect.objectContaining({
          Action: ["kms:GenerateDataKey", "kms:Decrypt", "kms:DescribeKey"],
          Condition: {
            StringEquals: {
              "kms:ViaService": "s3.eu-west-1.amazonaws.com",
              "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::smd-test-models",
            },
          },
        }),
      ]);
    });

    it("add every publisher to the write exception, and no one else", () => {
      const statements = granted.policyOf("smd-test-models");
      expect(sid(statements, "DenyObjectWritesByOthers").Condition).toEqual({
        ArnNotEquals: { "aws:PrincipalArn": [PUBLISHER, second] },
      });
      expect(granted.store.publisherArns).toEqual([PUBLISHER, second]);
    });

    it("never use a wildcard action", () => {
      const all = [
        ...granted.policyOf("smd-test-models").filter((s) => s.Effect === "Allow"),
        ...granted.keyPolicy("ENCRYPT_DECRYPT", /Encrypts the models/),
        ...granted.keyPolicy("SIGN_VERIFY", /Signs the models/),
      ];
      for (const statement of all) for (const action of statement.Action) expect(action).not.toMatch(/[*?]/);
      for (const statement of reader.statements)
        for (const action of statement.actions) expect(action).not.toMatch(/[*?]/);
    });
  });

  describe("with replication", () => {
    const replicated = build({ replication: { region: "eu-central-1", bucketName: "smd-test-models-replica" } });

    it("copies every version to a locked replica in the other region, under its own key, deletes excluded", () => {
      const { of, bucketOf, companion } = replicated;
      expect(bucketOf("smd-test-models-replica").config).toMatchObject({
        region: "eu-central-1",
        object_lock_enabled: true,
        lifecycle: { prevent_destroy: true },
      });
      expect(bucketOf("smd-test-models-replica-access-logs").config).toMatchObject({ region: "eu-central-1" });
      const replicaKey = Object.values(of("aws_kms_key")).find((k) => k.region === "eu-central-1");
      expect(replicaKey).toMatchObject({ enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
      const [replication] = Object.values(of("aws_s3_bucket_replication_configuration"));
      expect(replication.rule).toEqual([
        expect.objectContaining({
          status: "Enabled",
          delete_marker_replication: { status: "Disabled" },
          source_selection_criteria: { sse_kms_encrypted_objects: { status: "Enabled" } },
          destination: expect.objectContaining({
            bucket: "arn:aws:s3:::smd-test-models-replica",
            encryption_configuration: { replica_kms_key_id: expect.stringMatching(/Models_ReplicaKey_/) },
          }),
        }),
      ]);
      // The source's policy waits for the replication configuration, which it then forbids changing.
      expect(companion("smd-test-models", "aws_s3_bucket_policy")[0].depends_on).toContainEqual(
        expect.stringMatching(/^aws_s3_bucket_replication_configuration\./),
      );
    });

    it("replicates through a role only S3 may assume, for this source bucket and account", () => {
      const [role] = Object.values(replicated.of("aws_iam_role"));
      expect(role.name).toBe("test-models-replication");
      expect(statementsOf(role.assume_role_policy)).toEqual([
        expect.objectContaining({
          Principal: { Service: ["s3.amazonaws.com"] },
          Action: ["sts:AssumeRole"],
          Condition: {
            StringEquals: { "aws:SourceAccount": expect.stringMatching(/account_id/) },
            ArnLike: { "aws:SourceArn": "arn:aws:s3:::smd-test-models" },
          },
        }),
      ]);
    });

    it("exempts the replication role from the endpoint rule, and lets only it write the replica", () => {
      const role = expect.stringMatching(/:role\/test-models-replication$/);
      expect(sid(replicated.policyOf("smd-test-models"), "DenyReadsOutsideVpcEndpoint").Condition).toMatchObject({
        ArnNotEquals: { "aws:PrincipalArn": [PUBLISHER, BREAK_GLASS, role] },
      });
      const replica = replicated.policyOf("smd-test-models-replica");
      expect(sid(replica, "DenyObjectWritesByOthers")).toMatchObject({
        Action: ["s3:PutObject", "s3:ReplicateObject", "s3:ReplicateDelete"],
        Condition: { ArnNotEquals: { "aws:PrincipalArn": [role] } },
      });
      expect(sid(replica, "DenyReadsByOthers").Condition).toEqual({
        ArnNotEquals: { "aws:PrincipalArn": [BREAK_GLASS, role] },
      });
      expect(sid(replica, "DenyDestructiveChangesByOthers").Condition).toEqual({
        ArnNotEquals: { "aws:PrincipalArn": BREAK_GLASS },
      });
    });
  });

  it("passes every guardrail, with and without a replica", () => {
    for (const replication of [undefined, { region: "eu-central-1", bucketName: "smd-test-models-replica" }]) {
      const result = guardedSynth((stack) => {
        PermissionsBoundary.applyTo(stack, "arn:aws:iam::111122223333:policy/test-boundary");
        const store = new ModelStore(stack, "Models", { ...STORE_PROPS, replication });
        new ModelTamperAlert(stack, "Tamper", { store, topicArn: "arn:aws:sns:eu-west-1:111122223333:alerts" });
        new ModelStoreMalwareScan(stack, "MalwareScan", { store, roleName: "test-svc-malware-scan" });
      });
      expect(result.open.map((f) => `${f.ruleId} ${f.message}`)).toEqual([]);
      expect(result.error).toBeUndefined();
    }
  });

  describe("refuses bad input with an error naming the property, the value and what is allowed", () => {
    const cases: [string, Partial<ModelStoreProps>, RegExp][] = [
      ["retention days of 0", { objectLock: { mode: "GOVERNANCE", days: 0 } }, /objectLock\.days = 0 .*1 to 3650/],
      ["retention days above 3650", { objectLock: { mode: "GOVERNANCE", days: 4000 } }, /objectLock\.days = 4000/],
      [
        "an unknown lock mode",
        { objectLock: { mode: "LEGAL" as "GOVERNANCE", days: 30 } },
        /objectLock\.mode = "LEGAL" .*GOVERNANCE or COMPLIANCE/,
      ],
      ["fractional days", { objectLock: { mode: "GOVERNANCE", days: 1.5 } }, /objectLock\.days = 1\.5/],
      [
        "versions expiring before their lock",
        { objectLock: { mode: "GOVERNANCE", days: 60 }, noncurrentVersionExpirationDays: 30 },
        /noncurrentVersionExpirationDays = 30 .*60 to 3650/,
      ],
      ["an empty publisher list", { publishers: [] }, /publishers = \[\] .*at least one publisher/],
      [
        "a publisher that is not a role ARN",
        { publishers: ["ci-model-publisher"] },
        /publishers = "ci-model-publisher" .*IAM role ARNs/,
      ],
      ["a break-glass user", { breakGlassRoleArn: "arn:aws:iam::111122223333:user/admin" }, /breakGlassRoleArn/],
      ["no VPC endpoint", { vpcEndpointIds: [] }, /vpcEndpointIds = \[\]/],
      [
        "a prefix that escapes with ../",
        { publishPrefix: "models/../state/" },
        /publishPrefix = "models\/\.\.\/state\/"/,
      ],
      ["a prefix with a wildcard", { publishPrefix: "models/*" }, /publishPrefix = "models\/\*"/],
      ["a prefix with a leading slash", { publishPrefix: "/models/" }, /publishPrefix = "\/models\/"/],
      ["a prefix not ending in /", { publishPrefix: "models" }, /publishPrefix = "models"/],
      [
        "a replica in the store's own region",
        { replication: { region: "eu-west-1", bucketName: "smd-test-replica" } },
        /replication\.region = "eu-west-1" .*other than the store's own \(eu-west-1\)/,
      ],
      [
        "a replica named like the store",
        { replication: { region: "eu-central-1", bucketName: "smd-test-models" } },
        /replication\.bucketName/,
      ],
      [
        "a bucket name too long for its log bucket",
        { bucketName: "a".repeat(52) },
        /bucketName = "a{52}" .*at most 51/,
      ],
      ["an uppercase name", { name: "Models" }, /name = "Models"/],
    ];
    it.each(cases)("%s", (_case, props, message) => {
      const stack = testStack();
      let error: unknown;
      try {
        new ModelStore(stack, "Models", { ...STORE_PROPS, ...props });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toMatch(/^test\/Models: /);
      expect((error as Error).message).toMatch(message);
      // Nothing is half-created: the failed store left no resource behind.
      expect(stack.node.findAll().filter((c) => c.node.path.startsWith("test/Models"))).toHaveLength(1);
    });

    it("checks the prefix of every grant", () => {
      const stack = testStack();
      const store = new ModelStore(stack, "Models", STORE_PROPS);
      expect(() => store.grantRead(new TestRole(ROLE("reader")), "../")).toThrow(/prefix = "\.\.\/"/);
      expect(() => store.grantRead(new TestRole(ROLE("reader")), "models/fraud/*")).toThrow(/prefix/);
      expect(() => store.grantPublish(ROLE("ci"), "models/./")).toThrow(/prefix/);
    });
  });
});
