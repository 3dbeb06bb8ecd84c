import { AccountGuardrails, type AccountGuardrailsProps } from "../../../constructs/detection/account-guardrails";
import { guardedSynth } from "../../support/guardrails";
import { resourcesOf, synthJson, testStack } from "../../support/synth";

const PROPS: AccountGuardrailsProps = { namePrefix: "smd-test", configBucketName: "smd-test-aws-config" };

function build(props: Partial<AccountGuardrailsProps> = {}) {
  const stack = testStack();
  new AccountGuardrails(stack, "Guardrails", { ...PROPS, ...props });
  const json = synthJson(stack);
  return (type: string) => Object.values(resourcesOf(json, type));
}

describe("AccountGuardrails", () => {
  const of = build();

  it("encrypts every new EBS volume by default under its own key, which Auto Scaling may use via EC2", () => {
    expect(of("aws_ebs_encryption_by_default")).toEqual([expect.objectContaining({ enabled: true })]);
    expect(of("aws_ebs_default_kms_key")).toEqual([
      expect.objectContaining({ key_arn: expect.stringMatching(/aws_kms_key\.Guardrails_EbsKey_/) }),
    ]);
    const ebsKey = of("aws_kms_key").find((k) => String(k.description).includes("EBS"));
    const statements = JSON.parse(String(ebsKey?.policy)).Statement as Record<string, Record<string, unknown>>[];
    const grants = statements.filter((s) => String(s.Sid).startsWith("Ebs"));
    expect(grants.map((s) => s.Principal)).toEqual([
      {
        AWS: [
          expect.stringMatching(/:role\/aws-service-role\/autoscaling\.amazonaws\.com\/AWSServiceRoleForAutoScaling$/),
        ],
      },
      { AWS: [expect.stringMatching(/AWSServiceRoleForAutoScaling$/)] },
    ]);
    for (const grant of grants) {
      expect(grant.Condition).toMatchObject({ StringEquals: { "kms:ViaService": "ec2.eu-west-1.amazonaws.com" } });
    }
    expect(ebsKey?.depends_on).toEqual([expect.stringMatching(/^aws_iam_service_linked_role\./)]);
  });

  it("runs IAM Access Analyzer for the account", () => {
    expect(of("aws_accessanalyzer_analyzer")).toEqual([
      expect.objectContaining({ analyzer_name: "smd-test-account", type: "ACCOUNT" }),
    ]);
  });

  it("turns Security Hub on with the FSBP and CIS standards, and consolidated control findings", () => {
    expect(of("aws_securityhub_account")).toEqual([
      expect.objectContaining({ enable_default_standards: false, control_finding_generator: "SECURITY_CONTROL" }),
    ]);
    expect(of("aws_securityhub_standards_subscription").map((s) => s.standards_arn)).toEqual([
      "arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0",
      "arn:aws:securityhub:eu-west-1::standards/cis-aws-foundations-benchmark/v/3.0.0",
    ]);
  });

  it("records every resource type with AWS Config into an encrypted bucket, daily snapshots, recorder on", () => {
    expect(of("aws_config_configuration_recorder")).toEqual([
      expect.objectContaining({
        role_arn: expect.stringMatching(/AWSServiceRoleForConfig$/),
        recording_group: { all_supported: true, include_global_resource_types: true },
      }),
    ]);
    expect(of("aws_config_delivery_channel")).toEqual([
      expect.objectContaining({
        s3_bucket_name: "smd-test-aws-config",
        s3_kms_key_arn: expect.stringMatching(/aws_kms_key\.Guardrails_ConfigKey_/),
        snapshot_delivery_properties: { delivery_frequency: "TwentyFour_Hours" },
      }),
    ]);
    expect(of("aws_config_configuration_recorder_status")).toEqual([expect.objectContaining({ is_enabled: true })]);
    const policy = of("aws_s3_bucket_policy").find((p) => String(p.policy).includes("ConfigDelivery"));
    const delivery = JSON.parse(String(policy?.policy)).Statement.find(
      (s: { Sid: string }) => s.Sid === "ConfigDelivery",
    );
    expect(delivery).toMatchObject({
      Principal: { Service: ["config.amazonaws.com"] },
      Condition: {
        StringEquals: { "aws:SourceAccount": expect.any(String), "s3:x-amz-acl": "bucket-owner-full-control" },
      },
    });
  });

  it("creates the service-linked roles, or uses the existing ones", () => {
    expect(
      of("aws_iam_service_linked_role")
        .map((r) => r.aws_service_name)
        .sort(),
    ).toEqual(["autoscaling.amazonaws.com", "config.amazonaws.com"]);
    expect(build({ serviceLinkedRoles: "existing" })("aws_iam_service_linked_role")).toEqual([]);
  });

  it("leaves Security Hub and AWS Config to the Organization when told, by name", () => {
    const managed = build({ securityHub: "managed-by-organization", config: "managed-by-organization" });
    for (const type of [
      "aws_securityhub_account",
      "aws_config_configuration_recorder",
      "aws_config_delivery_channel",
    ]) {
      expect([type, managed(type)]).toEqual([type, []]);
    }
    expect(managed("aws_ebs_encryption_by_default")).toHaveLength(1);
    expect(managed("aws_accessanalyzer_analyzer")).toHaveLength(1);
  });

  it("passes every guardrail", () => {
    const result = guardedSynth((s) => new AccountGuardrails(s, "Guardrails", PROPS));
    expect(result.open.map((f) => f.message)).toEqual([]);
  });

  it.each<[string, Partial<AccountGuardrailsProps>, RegExp]>([
    [
      "an unknown Security Hub mode",
      { securityHub: "off" as "enable" },
      /securityHub = "off" .*enable or managed-by-organization/,
    ],
    ["an unknown Config mode", { config: "disabled" as "enable" }, /config = "disabled"/],
    [
      "an unknown service-linked role mode",
      { serviceLinkedRoles: "import" as "create" },
      /serviceLinkedRoles = "import" .*create or existing/,
    ],
    ["Config without a bucket", { configBucketName: undefined }, /configBucketName = undefined/],
    ["a Config bucket too long for its log bucket", { configBucketName: "c".repeat(52) }, /configBucketName = "c{52}"/],
  ])("rejects %s", (_case, props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});
