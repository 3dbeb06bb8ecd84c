import { KmsKey } from "../../../constructs/keys/kms-key";
import { EncryptedLogGroup, type EncryptedLogGroupProps } from "../../../constructs/logging/encrypted-log-group";
import { onlyResource, statementsOf, synthJson, testStack } from "../../support/synth";

function synthGroup(props: Partial<EncryptedLogGroupProps> = {}) {
  const stack = testStack();
  const key = new KmsKey(stack, "Key", { alias: "logs" });
  new EncryptedLogGroup(stack, "Group", { name: "/smd-dev/app", encryptionKey: key, ...props });
  const json = synthJson(stack);
  return { json, group: onlyResource(json, "aws_cloudwatch_log_group"), key: onlyResource(json, "aws_kms_key") };
}

describe("EncryptedLogGroup", () => {
  it("encrypts with the key, keeps a year of events and survives a destroy", () => {
    const { group } = synthGroup();
    expect(group).toMatchObject({
      name: "/smd-dev/app",
      kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\.Key_.*\.arn\}$/),
      retention_in_days: 365,
      skip_destroy: true,
    });
  });

  it("lets CloudWatch Logs use the key for this one group only", () => {
    const { key } = synthGroup();
    const grants = statementsOf(key.policy).filter((s) => s.Sid.startsWith("CloudWatchLogs"));
    expect(grants).toHaveLength(1);
    expect(grants[0].Condition).toEqual({
      ArnEquals: {
        "kms:EncryptionContext:aws:logs:arn":
          "arn:aws:logs:eu-west-1:${data.aws_caller_identity.AwsContext_Caller_144E9D26.account_id}:log-group:/smd-dev/app",
      },
    });
  });

  it("lets a destroy delete the events only when told to", () => {
    expect(synthGroup({ keepOnDestroy: false }).group.skip_destroy).toBe(false);
  });

  it.each<[string, Partial<EncryptedLogGroupProps>, string]>([
    [
      "a retention CloudWatch Logs does not offer",
      { retentionInDays: 100 },
      "Group: retentionInDays = 100 is not allowed; allowed: one of CloudWatch Logs' periods, 1, 3, 5",
    ],
    ["never expiring", { retentionInDays: 0 }, "retentionInDays = 0 is not allowed"],
    ["a name with spaces", { name: "my logs" }, 'name = "my logs" is not allowed; allowed: letters, digits'],
  ])("rejects %s", (_case, props, message) => {
    expect(() => synthGroup(props)).toThrow(message);
  });
});
