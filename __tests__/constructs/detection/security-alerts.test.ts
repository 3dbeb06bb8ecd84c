import { SecurityAlerts } from "../../../constructs/detection/security-alerts";
import { PermissionsBoundary } from "../../../constructs/identity/permissions-boundary";
import { decide, materializePolicy } from "../../../policies/iam-simulation";
import { guardedSynth } from "../../support/guardrails";
import { onlyResource, statementsOf, synthJson, testStack } from "../../support/synth";

const ACCOUNT = "111122223333";
const TOPIC = `arn:aws:sns:eu-west-1:${ACCOUNT}:test-security-alerts`;

function build() {
  const stack = testStack();
  const alerts = new SecurityAlerts(stack, "Alerts", { topicName: "test-security-alerts" });
  return { alerts, json: synthJson(stack) };
}

describe("SecurityAlerts", () => {
  const { alerts, json } = build();
  const valueFor = (e: string) =>
    e.endsWith(".account_id") ? ACCOUNT : e.endsWith(".issuer_arn") ? `arn:aws:iam::${ACCOUNT}:role/apply` : undefined;
  const topicPolicy = materializePolicy(onlyResource(json, "aws_sns_topic_policy").policy, valueFor);

  it("is an SNS topic under its own customer key", () => {
    expect(onlyResource(json, "aws_sns_topic")).toMatchObject({
      name: "test-security-alerts",
      kms_master_key_id: expect.stringMatching(/^\$\{aws_kms_key\.Alerts_Key_\w+\.arn\}$/),
    });
    expect(onlyResource(json, "aws_kms_alias").name).toBe("alias/test-security-alerts");
    expect(topicPolicy.Statement[0].Resource).toEqual([TOPIC]);
    expect(alerts.topicArn).toMatch(/^arn:aws:sns:eu-west-1:.+:test-security-alerts$/);
  });

  it("lets EventBridge and CloudWatch of this account use the key, and nobody else", () => {
    const statements = statementsOf(onlyResource(json, "aws_kms_key").policy).filter((s) =>
      s.Sid.startsWith("Service"),
    );
    expect(statements.map((s) => s.Principal)).toEqual([
      { Service: ["events.amazonaws.com"] },
      { Service: ["cloudwatch.amazonaws.com"] },
    ]);
    for (const s of statements) {
      expect(s.Condition).toEqual({ StringEquals: { "aws:SourceAccount": expect.stringMatching(/account_id/) } });
    }
  });

  it("admits EventBridge and CloudWatch of this account to publish, over TLS only, and no one else", async () => {
    const publish = (principal: string, context: Record<string, string>) =>
      decide({
        principal,
        action: "sns:Publish",
        resource: TOPIC,
        resourceAccount: ACCOUNT,
        resourcePolicy: topicPolicy,
        context,
      });
    expect(await publish("events.amazonaws.com", { "aws:SourceAccount": ACCOUNT })).toBe("Allowed");
    expect(await publish("cloudwatch.amazonaws.com", { "aws:SourceAccount": ACCOUNT })).toBe("Allowed");
    expect(await publish("events.amazonaws.com", { "aws:SourceAccount": "444455556666" })).toBe("ImplicitlyDenied");
    expect(
      await publish("events.amazonaws.com", { "aws:SourceAccount": ACCOUNT, "aws:SecureTransport": "false" }),
    ).toBe("ExplicitlyDenied");
    expect(await publish("lambda.amazonaws.com", { "aws:SourceAccount": ACCOUNT })).toBe("ImplicitlyDenied");
    expect(await publish(`arn:aws:iam::${ACCOUNT}:role/anyone`, {})).toBe("ImplicitlyDenied");
  });

  it("passes every guardrail", () => {
    const result = guardedSynth((stack) => {
      PermissionsBoundary.applyTo(stack, "arn:aws:iam::111122223333:policy/test-boundary");
      new SecurityAlerts(stack, "Alerts", { topicName: "alerts", watchedRegions: ["eu-central-1"] });
    });
    expect(result.open.map((f) => f.message)).toEqual([]);
  });

  it("rejects a topic name SNS does not accept", () => {
    expect(() => new SecurityAlerts(testStack(), "Alerts", { topicName: "security alerts" })).toThrow(
      'topicName = "security alerts" is not allowed; allowed: an SNS topic name',
    );
  });
});
