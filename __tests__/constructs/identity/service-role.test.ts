import { ServiceRole } from "../../../constructs/identity/service-role";
import { SecureBucket } from "../../../constructs/storage/secure-bucket";
import { KmsKey } from "../../../constructs/keys/kms-key";
import { guardedSynth } from "../../support/guardrails";
import { onlyResource, resourcesOf, statementsOf, synthJson, testStack } from "../../support/synth";

describe("ServiceRole", () => {
  it("trusts one service for this account only, and holds nothing until granted", () => {
    const stack = testStack();
    new ServiceRole(stack, "Scorer", {
      roleName: "team-scorer",
      service: "lambda.amazonaws.com",
      sourceArnLike: "arn:aws:lambda:eu-west-1:111122223333:function:team-scorer",
    });
    const json = synthJson(stack);
    const role = onlyResource(json, "aws_iam_role");
    expect(role).toEqual(
      expect.objectContaining({
        name: "team-scorer",
        description: "Assumed by lambda.amazonaws.com for this account",
        max_session_duration: 3600,
      }),
    );
    expect(statementsOf(role.assume_role_policy)).toEqual([
      {
        Sid: "AssumedByService",
        Effect: "Allow",
        Principal: { Service: ["lambda.amazonaws.com"] },
        Action: ["sts:AssumeRole"],
        Condition: {
          StringEquals: {
            "aws:SourceAccount": expect.stringMatching(/^\$\{data\.aws_caller_identity\.\w+\.account_id\}$/),
          },
          ArnLike: { "aws:SourceArn": "arn:aws:lambda:eu-west-1:111122223333:function:team-scorer" },
        },
      },
    ]);
    expect(resourcesOf(json, "aws_iam_role_policy")).toEqual({});
  });

  it("takes grants in its own inline policy, and passes every guardrail with them", () => {
    const result = guardedSynth((s) => {
      const key = new KmsKey(s, "Key", { alias: "team-data" });
      const logs = SecureBucket.accessLogsFor(s, "Logs", "team-data");
      const bucket = new SecureBucket(s, "Data", {
        bucketName: "team-data",
        encryptionKey: key,
        accessLogs: { bucket: logs, prefix: "d/" },
      });
      const role = new ServiceRole(s, "Job", { roleName: "team-job", service: "ecs-tasks.amazonaws.com" });
      bucket.grantRead(role, "datasets/");
      role.role.permissionsBoundary = "arn:aws:iam::111122223333:policy/boundary";
      expect(role.grantedStatements.map((st) => st.sid)).toEqual(["ReadObjects1", "ReadList1"]);
    });
    expect(result.open.map((f) => f.message)).toEqual([]);
    const policy = Object.values(
      resourcesOf(JSON.parse(JSON.stringify(result.stack.toTerraform())), "aws_iam_role_policy"),
    )[0];
    expect(policy.name).toBe("grants");
  });

  it.each([
    ["a role name IAM refuses", { roleName: "team scorer" }, /S: roleName = "team scorer" is not allowed/],
    [
      "something that is not a service",
      { service: "arn:aws:iam::111122223333:root" },
      /S: service = "arn:aws:iam::111122223333:root" is not allowed; allowed: an AWS service principal/,
    ],
    ["pods", { service: "pods.eks.amazonaws.com" }, /allowed: another service; for this one use a WorkloadRole/],
    ["EC2, which sends no source account", { service: "ec2.amazonaws.com" }, /EC2 sends no aws:SourceAccount/],
    ["a source that is no ARN", { sourceArnLike: "team-scorer" }, /S: sourceArnLike = "team-scorer" is not allowed/],
    [
      "a session longer than IAM allows",
      { maxSessionDurationSeconds: 86400 },
      /S: maxSessionDurationSeconds = 86400 is not allowed/,
    ],
  ])("refuses %s", (_case, change, message) => {
    expect(
      () => new ServiceRole(testStack(), "S", { roleName: "team-scorer", service: "lambda.amazonaws.com", ...change }),
    ).toThrow(message);
  });
});
