import { ModelTamperAlert } from "../../../constructs/detection/model-tamper-alert";
import { ModelStore } from "../../../constructs/storage/model-store";
import { matchesPattern } from "../../../policies/event-pattern";
import { STORE_PROPS } from "../../support/model-store";
import { onlyResource, synthJson, testStack } from "../../support/synth";

const PUBLISHER = STORE_PROPS.publishers[0] as string;
const TOPIC = "arn:aws:sns:eu-west-1:111122223333:test-security-alerts";

const stack = testStack();
const store = new ModelStore(stack, "Models", STORE_PROPS);
new ModelTamperAlert(stack, "Tamper", { store, topicArn: TOPIC });
store.grantPublish("arn:aws:iam::111122223333:role/ci-late-publisher", "models/late/");
const json = synthJson(stack);
const rule = onlyResource(json, "aws_cloudwatch_event_rule");
const pattern = JSON.parse(String(rule.event_pattern)) as object;

/** A CloudTrail data event of the store as EventBridge delivers it. */
function cloudTrailEvent(eventName: string, userIdentity: Record<string, unknown>, bucketName = "smd-test-models") {
  return {
    source: "aws.s3",
    "detail-type": "AWS API Call via CloudTrail",
    detail: {
      eventSource: "s3.amazonaws.com",
      eventName,
      requestParameters: { bucketName, key: "models/fraud/v3/model.safetensors" },
      userIdentity,
    },
  };
}
const roleSession = (roleArn: string) => ({
  type: "AssumedRole",
  arn: `${roleArn.replace(":iam::", ":sts::").replace(":role/", ":assumed-role/")}/session`,
  sessionContext: { sessionIssuer: { type: "Role", arn: roleArn } },
});

describe("ModelTamperAlert", () => {
  it("sends what it catches to the security alert topic", () => {
    expect(rule.name).toBe("smd-test-models-tamper");
    expect(onlyResource(json, "aws_cloudwatch_event_target")).toMatchObject({
      arn: TOPIC,
      target_id: "security-alerts",
    });
  });

  it.each<[string, ReturnType<typeof cloudTrailEvent>]>([
    [
      "another role overwrites a model",
      cloudTrailEvent("PutObject", roleSession("arn:aws:iam::111122223333:role/ci-apply")),
    ],
    [
      "the break-glass role deletes a version",
      cloudTrailEvent("DeleteObject", roleSession(STORE_PROPS.breakGlassRoleArn)),
    ],
    [
      "a role shortens a retention",
      cloudTrailEvent("PutObjectRetention", roleSession("arn:aws:iam::111122223333:role/admin")),
    ],
    [
      "the root user deletes objects",
      cloudTrailEvent("DeleteObjects", { type: "Root", arn: "arn:aws:iam::111122223333:root" }),
    ],
    [
      "an IAM user finishes a multipart upload",
      cloudTrailEvent("CompleteMultipartUpload", { type: "IAMUser", arn: "arn:aws:iam::111122223333:user/x" }),
    ],
    [
      "a role copies an object in",
      cloudTrailEvent("CopyObject", roleSession("arn:aws:iam::444455556666:role/outsider")),
    ],
  ])("fires when %s", (_case, event) => {
    expect(matchesPattern(pattern, event)).toBe(true);
  });

  it.each<[string, ReturnType<typeof cloudTrailEvent>]>([
    ["the publisher puts a model", cloudTrailEvent("PutObject", roleSession(PUBLISHER))],
    [
      "a publisher granted after the alert puts a model",
      cloudTrailEvent("PutObject", roleSession("arn:aws:iam::111122223333:role/ci-late-publisher")),
    ],
    [
      "a reader gets a model",
      cloudTrailEvent("GetObject", roleSession("arn:aws:iam::111122223333:role/fraud-inference")),
    ],
    [
      "another role writes another bucket",
      cloudTrailEvent("PutObject", roleSession("arn:aws:iam::111122223333:role/ci-apply"), "other-bucket"),
    ],
  ])("stays quiet when %s", (_case, event) => {
    expect(matchesPattern(pattern, event)).toBe(false);
  });

  it("rejects a target that is not an SNS topic", () => {
    const other = testStack();
    const models = new ModelStore(other, "Models", STORE_PROPS);
    expect(
      () => new ModelTamperAlert(other, "Tamper", { store: models, topicArn: "arn:aws:sqs:eu-west-1:111122223333:q" }),
    ).toThrow('topicArn = "arn:aws:sqs:eu-west-1:111122223333:q" is not allowed; allowed: an SNS topic ARN');
  });
});
