import { SecurityAlerts, type SecurityAlertsProps } from "../../../constructs/detection/security-alerts";
import { PermissionsBoundary } from "../../../constructs/identity/permissions-boundary";
import { decide, materializePolicy } from "../../../policies/iam-simulation";
import { guardedSynth } from "../../support/guardrails";
import { onlyResource, resourcesOf, statementsOf, synthJson, testStack } from "../../support/synth";

const ACCOUNT = "111122223333";
const TOPIC = `arn:aws:sns:eu-west-1:${ACCOUNT}:test-security-alerts`;
const valueFor = (e: string) => (e.endsWith(".account_id") ? ACCOUNT : undefined);

function build() {
  const stack = testStack();
  const alerts = new SecurityAlerts(stack, "Alerts", { topicName: "test-security-alerts" });
  return { alerts, json: synthJson(stack) };
}

describe("SecurityAlerts", () => {
  const { alerts, json } = build();
  const valueForHere = (e: string) =>
    e.endsWith(".account_id") ? ACCOUNT : e.endsWith(".issuer_arn") ? `arn:aws:iam::${ACCOUNT}:role/apply` : undefined;
  const topicPolicy = materializePolicy(onlyResource(json, "aws_sns_topic_policy").policy, valueForHere);

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

  describe("with subscriptions, a watched region and the alert rules", () => {
    const stack = testStack();
    new SecurityAlerts(stack, "Alerts", {
      topicName: "test-security-alerts",
      emailSubscriptions: ["security@example.com", "oncall@example.org"],
      guardDutySeverity: 4,
      watchedRegions: ["eu-central-1"],
    });
    const out = synthJson(stack);
    const rules = Object.values(resourcesOf(out, "aws_cloudwatch_event_rule"));
    const targets = Object.values(resourcesOf(out, "aws_cloudwatch_event_target"));

    it("subscribes each address by email", () => {
      expect(
        Object.values(resourcesOf(out, "aws_sns_topic_subscription")).map((s) => [s.protocol, s.endpoint]),
      ).toEqual([
        ["email", "security@example.com"],
        ["email", "oncall@example.org"],
      ]);
    });

    it("raises every alert in the topic's region, to the topic", () => {
      const home = rules.filter((r) => r.region === undefined);
      expect(home.map((r) => r.name).sort()).toEqual(
        [
          "test-security-alerts-guardduty-findings",
          "test-security-alerts-iam-policy-changes",
          "test-security-alerts-kms-key-disabled-or-deleted",
          "test-security-alerts-audit-trail-stopped",
          "test-security-alerts-security-group-changes",
          "test-security-alerts-root-account-use",
          "test-security-alerts-console-sign-in-without-mfa",
        ].sort(),
      );
      const toTopic = targets.filter((t) => t.region === undefined);
      expect(toTopic).toHaveLength(7);
      for (const t of toTopic) expect(t.arn).toMatch(/:sns:eu-west-1:.+:test-security-alerts$/);
      const guardDuty = home.find((r) => String(r.name).endsWith("guardduty-findings"));
      expect(JSON.parse(String(guardDuty?.event_pattern)).detail.severity).toEqual([{ numeric: [">=", 4] }]);
    });

    it("forwards global events from us-east-1 and key events from the watched region to the home bus", () => {
      const forwarded = rules.filter((r) => r.region !== undefined).map((r) => `${r.region} ${r.name}`);
      expect(forwarded.sort()).toEqual([
        "eu-central-1 test-security-alerts-kms-key-disabled-or-deleted",
        "us-east-1 test-security-alerts-console-sign-in-without-mfa",
        "us-east-1 test-security-alerts-iam-policy-changes",
        "us-east-1 test-security-alerts-root-account-use",
      ]);
      for (const t of targets.filter((t) => t.region !== undefined)) {
        expect(t.arn).toMatch(/^arn:aws:events:eu-west-1:.+:event-bus\/default$/);
        expect(t.role_arn).toMatch(/aws_iam_role\.Alerts_ForwarderRole_/);
      }
    });

    it("forwards through a role only this account's EventBridge may assume, that may only put events home", async () => {
      const [role] = Object.values(resourcesOf(out, "aws_iam_role"));
      expect(role.name).toBe("test-security-alerts-forwarder");
      const trust = materializePolicy(role.assume_role_policy, valueFor);
      const assume = (account: string) =>
        decide({
          principal: "events.amazonaws.com",
          action: "sts:AssumeRole",
          resource: `arn:aws:iam::${ACCOUNT}:role/test-security-alerts-forwarder`,
          resourceAccount: ACCOUNT,
          resourcePolicy: trust,
          context: { "aws:SourceAccount": account },
        });
      expect(await assume(ACCOUNT)).toBe("Allowed");
      expect(await assume("444455556666")).toBe("ImplicitlyDenied");
      const [policy] = Object.values(resourcesOf(out, "aws_iam_role_policy"));
      expect(statementsOf(policy.policy)).toEqual([
        expect.objectContaining({
          Action: ["events:PutEvents"],
          Resource: [expect.stringMatching(/^arn:aws:events:eu-west-1:.+:event-bus\/default$/)],
        }),
      ]);
    });

    it("needs no forwarder when the topic lives in us-east-1 and no region is watched", () => {
      const east = testStack("us-east-1");
      new SecurityAlerts(east, "Alerts", { topicName: "alerts" });
      const json2 = synthJson(east);
      expect(Object.values(resourcesOf(json2, "aws_cloudwatch_event_rule")).every((r) => r.region === undefined)).toBe(
        true,
      );
      expect(resourcesOf(json2, "aws_iam_role")).toEqual({});
    });
  });

  it.each<[string, Partial<SecurityAlertsProps>, RegExp]>([
    [
      "a topic name SNS does not accept",
      { topicName: "security alerts" },
      /topicName = "security alerts" is not allowed; allowed: an SNS topic name/,
    ],
    ["a topic name too long for its rules", { topicName: "a".repeat(35) }, /topicName = "a{35}" .*at most 34/],
    [
      "a severity below GuardDuty's scale",
      { guardDutySeverity: 0 },
      /guardDutySeverity = 0 .*from 1 to 10, GuardDuty's scale/,
    ],
    ["a severity above GuardDuty's scale", { guardDutySeverity: 11 }, /guardDutySeverity = 11/],
    [
      "an address without a domain",
      { emailSubscriptions: ["security@localhost"] },
      /emailSubscriptions = "security@localhost" .*an email address/,
    ],
    [
      "an address with spaces",
      { emailSubscriptions: ["sec urity@example.com"] },
      /emailSubscriptions = "sec urity@example.com"/,
    ],
    ["an invented watched region", { watchedRegions: ["europe"] }, /watchedRegions = "europe"/],
  ])("rejects %s", (_case, props, message) => {
    expect(() => new SecurityAlerts(testStack(), "Alerts", { topicName: "alerts", ...props })).toThrow(message);
  });
});
