import { AuditTrail, type AuditTrailProps } from "../../../constructs/detection/audit-trail";
import { PermissionsBoundary } from "../../../constructs/identity/permissions-boundary";
import { decide, materializePolicy, type PolicyJson } from "../../../policies/iam-simulation";
import { guardedSynth } from "../../support/guardrails";
import { onlyResource, resourcesOf, synthJson, testStack } from "../../support/synth";

const ACCOUNT = "111122223333";
const TRAIL = `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/test-audit-trail`;
const BUCKET = "arn:aws:s3:::smd-test-audit-trail";
const PROPS: AuditTrailProps = {
  trailName: "test-audit-trail",
  bucketName: "smd-test-audit-trail",
  objectLock: { mode: "COMPLIANCE", days: 365 },
  logRetentionInDays: 365,
  dataEventBuckets: ["smd-test-models", "smd-test-models-replica"],
  readers: [`arn:aws:iam::${ACCOUNT}:role/incident-response`],
};

const stack = testStack();
new AuditTrail(stack, "Audit", PROPS);
const json = synthJson(stack);
const of = (type: string) => Object.values(resourcesOf(json, type));
const valueFor = (e: string) =>
  e.endsWith(".account_id") ? ACCOUNT : e.endsWith(".issuer_arn") ? `arn:aws:iam::${ACCOUNT}:role/apply` : undefined;
const bucketPolicy = materializePolicy(
  of("aws_s3_bucket_policy").find((p) => String(p.policy).includes("CloudTrailWrite"))?.policy,
  valueFor,
);

describe("AuditTrail", () => {
  it("is a multi-region, validated, logging trail under its own key, delivering to CloudWatch Logs", () => {
    expect(onlyResource(json, "aws_cloudtrail")).toMatchObject({
      name: "test-audit-trail",
      s3_bucket_name: "smd-test-audit-trail",
      is_multi_region_trail: true,
      include_global_service_events: true,
      enable_log_file_validation: true,
      enable_logging: true,
      kms_key_id: expect.stringMatching(/aws_kms_key\.Audit_Key_/),
      cloud_watch_logs_group_arn: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.Audit_LogGroup_\w+\.arn\}:\*$/),
      cloud_watch_logs_role_arn: expect.stringMatching(/aws_iam_role\.Audit_CloudWatchRole_/),
      depends_on: expect.arrayContaining([expect.stringMatching(/^aws_s3_bucket_policy\./)]),
    });
    expect(onlyResource(json, "aws_cloudwatch_log_group")).toMatchObject({
      name: "/aws/cloudtrail/test-audit-trail",
      retention_in_days: 365,
    });
  });

  it("records every management event and the model stores' object-level events", () => {
    expect(onlyResource(json, "aws_cloudtrail").advanced_event_selector).toEqual([
      { name: "Every management event", field_selector: [{ field: "eventCategory", equals: ["Management"] }] },
      {
        name: "Object-level events of the model stores",
        field_selector: [
          { field: "eventCategory", equals: ["Data"] },
          { field: "resources.type", equals: ["AWS::S3::Object"] },
          {
            field: "resources.ARN",
            starts_with: ["arn:aws:s3:::smd-test-models/", "arn:aws:s3:::smd-test-models-replica/"],
          },
        ],
      },
    ]);
  });

  it("keeps its log files in a locked, encrypted, logged bucket", () => {
    const bucket = of("aws_s3_bucket").find((b) => b.bucket === "smd-test-audit-trail");
    expect(bucket).toMatchObject({ object_lock_enabled: true, lifecycle: { prevent_destroy: true } });
    expect(of("aws_s3_bucket_object_lock_configuration")).toEqual([
      expect.objectContaining({ rule: { default_retention: { mode: "COMPLIANCE", days: 365 } } }),
    ]);
    expect(of("aws_s3_bucket_logging")).toEqual([expect.objectContaining({ target_prefix: "audit-trail/" })]);
  });

  describe("its bucket policy, simulated", () => {
    const put = (principal: string, key: string, context: Record<string, string>, identity: PolicyJson[] = []) =>
      decide({
        principal,
        action: "s3:PutObject",
        resource: `${BUCKET}/${key}`,
        resourceAccount: ACCOUNT,
        resourcePolicy: bucketPolicy,
        identityPolicies: identity,
        context,
      });
    const LOG = `AWSLogs/${ACCOUNT}/CloudTrail/eu-west-1/2026/11/27/log.json.gz`;
    const OWNER = { "s3:x-amz-acl": "bucket-owner-full-control" };

    it("admits CloudTrail for this trail, and no other trail", async () => {
      expect(await put("cloudtrail.amazonaws.com", LOG, { "aws:SourceArn": TRAIL, ...OWNER })).toBe("Allowed");
      expect(
        await put("cloudtrail.amazonaws.com", LOG, {
          "aws:SourceArn": `arn:aws:cloudtrail:eu-west-1:444455556666:trail/other`,
          ...OWNER,
        }),
      ).toBe("ExplicitlyDenied");
      expect(
        await put("cloudtrail.amazonaws.com", `AWSLogs/444455556666/x.json.gz`, { "aws:SourceArn": TRAIL, ...OWNER }),
      ).toBe("ImplicitlyDenied");
    });

    it("lets nobody else write, not even an administrator with s3:*", async () => {
      const everything: PolicyJson = {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "s3:*", Resource: `${BUCKET}/*` }],
      };
      expect(await put(`arn:aws:sts::${ACCOUNT}:assumed-role/admin/s`, LOG, {}, [everything])).toBe("ExplicitlyDenied");
    });
  });

  it("lets CloudTrail encrypt for this trail only, and the readers decrypt via S3", () => {
    const statements = JSON.parse(String(of("aws_kms_key")[0].policy)).Statement as Record<string, unknown>[];
    expect(statements.find((s) => String(s.Sid).startsWith("CloudTrail"))).toMatchObject({
      Principal: { Service: ["cloudtrail.amazonaws.com"] },
      Action: ["kms:GenerateDataKey", "kms:DescribeKey"],
      Condition: {
        StringEquals: { "aws:SourceArn": expect.stringMatching(/:trail\/test-audit-trail$/) },
        StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": expect.stringMatching(/^arn:aws:cloudtrail:\*:/) },
      },
    });
    expect(statements.find((s) => String(s.Sid).startsWith("Decrypt"))).toMatchObject({
      Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:role/incident-response`] },
      Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } },
    });
  });

  it("delivers to CloudWatch Logs through a role CloudTrail may assume for this trail, writing to its group only", () => {
    const [policy] = of("aws_iam_role_policy");
    expect(JSON.parse(String(policy.policy)).Statement).toEqual([
      expect.objectContaining({
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [
          expect.stringMatching(/:log-group:\/aws\/cloudtrail\/test-audit-trail:log-stream:.+_CloudTrail_\*$/),
        ],
      }),
    ]);
    const [role] = of("aws_iam_role");
    expect(JSON.parse(String(role.assume_role_policy)).Statement[0].Condition.StringEquals["aws:SourceArn"]).toMatch(
      /:trail\/test-audit-trail$/,
    );
  });

  it("passes every guardrail", () => {
    const result = guardedSynth((s) => {
      PermissionsBoundary.applyTo(s, "arn:aws:iam::111122223333:policy/test-boundary");
      new AuditTrail(s, "Audit", PROPS);
    });
    expect(result.open.map((f) => f.message)).toEqual([]);
  });

  it.each<[string, Partial<AuditTrailProps>, RegExp]>([
    ["a retention shorter than a year", { logRetentionInDays: 180 }, /logRetentionInDays = 180 .*365 days or more/],
    [
      "a retention CloudWatch does not offer",
      { logRetentionInDays: 500 },
      /logRetentionInDays = 500 .*CloudWatch Logs' periods/,
    ],
    ["an unlocked log file", { objectLock: { mode: "GOVERNANCE", days: 0 } }, /objectLock\.days = 0/],
    ["a trail name CloudTrail refuses", { trailName: "a b" }, /trailName = "a b"/],
    ["a bucket name too long for its log bucket", { bucketName: "b".repeat(52) }, /bucketName = "b{52}" .*at most 51/],
  ])("rejects %s, before creating anything", (_case, props, message) => {
    const s = testStack();
    expect(() => new AuditTrail(s, "Audit", { ...PROPS, ...props })).toThrow(message);
    expect(s.node.tryFindChild("Audit")?.node.children ?? []).toEqual([]);
  });
});
