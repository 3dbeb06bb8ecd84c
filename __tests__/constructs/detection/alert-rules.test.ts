import { securityAlertRules } from "../../../constructs/detection/alert-rules";
import { matchesPattern } from "../../../policies/event-pattern";

const rules = Object.fromEntries(securityAlertRules(7).map((r) => [r.name, r]));
const pattern = (name: string) => {
  const rule = rules[name];
  if (!rule) throw new Error(`no alert ${name}`);
  return rule.pattern;
};

/** A CloudTrail management event as EventBridge delivers it. */
function apiCall(
  source: string,
  eventSource: string,
  eventName: string,
  userIdentity: Record<string, unknown> = { type: "AssumedRole" },
) {
  return {
    source,
    "detail-type": "AWS API Call via CloudTrail",
    detail: { eventSource, eventName, eventType: "AwsApiCall", userIdentity },
  };
}
function signIn(userType: string, mfa: "Yes" | "No", result = "Success") {
  return {
    source: "aws.signin",
    "detail-type": "AWS Console Sign In via CloudTrail",
    detail: {
      eventName: "ConsoleLogin",
      eventType: "AwsConsoleSignIn",
      userIdentity: { type: userType },
      additionalEventData: { MFAUsed: mfa },
      responseElements: { ConsoleLogin: result },
    },
  };
}
const finding = (severity: number) => ({
  source: "aws.guardduty",
  "detail-type": "GuardDuty Finding",
  detail: { severity },
});

/** Per alert: an event that must raise it and one that must not. */
const CASES: [string, object, object][] = [
  ["guardduty-findings", finding(8.5), finding(5)],
  [
    "iam-policy-changes",
    apiCall("aws.iam", "iam.amazonaws.com", "AttachRolePolicy"),
    apiCall("aws.iam", "iam.amazonaws.com", "GetRole"),
  ],
  [
    "kms-key-disabled-or-deleted",
    apiCall("aws.kms", "kms.amazonaws.com", "ScheduleKeyDeletion"),
    apiCall("aws.kms", "kms.amazonaws.com", "EnableKey"),
  ],
  [
    "audit-trail-stopped",
    apiCall("aws.cloudtrail", "cloudtrail.amazonaws.com", "StopLogging"),
    apiCall("aws.cloudtrail", "cloudtrail.amazonaws.com", "StartLogging"),
  ],
  [
    "security-group-changes",
    apiCall("aws.ec2", "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress"),
    apiCall("aws.ec2", "ec2.amazonaws.com", "DescribeSecurityGroups"),
  ],
  [
    "root-account-use",
    apiCall("aws.s3", "s3.amazonaws.com", "CreateBucket", { type: "Root" }),
    apiCall("aws.s3", "s3.amazonaws.com", "CreateBucket", { type: "AssumedRole" }),
  ],
  ["console-sign-in-without-mfa", signIn("IAMUser", "No"), signIn("IAMUser", "Yes")],
];

describe("the security alert rules", () => {
  it("are the seven the design asks for, each with a case below", () => {
    expect(Object.keys(rules).sort()).toEqual(CASES.map(([name]) => name).sort());
  });

  it.each(CASES)("%s fires on its event and not on a harmless one", (name, match, miss) => {
    expect(matchesPattern(pattern(name), match)).toBe(true);
    expect(matchesPattern(pattern(name), miss)).toBe(false);
  });

  it("takes the GuardDuty threshold as given, inclusive", () => {
    const critical = securityAlertRules(9).find((r) => r.name === "guardduty-findings")?.pattern ?? {};
    expect(matchesPattern(critical, finding(9))).toBe(true);
    expect(matchesPattern(critical, finding(8.9))).toBe(false);
  });

  it("does not take a root service event or a failed or federated sign-in for an alert", () => {
    const serviceEvent = { ...apiCall("aws.s3", "s3.amazonaws.com", "PutObject", { type: "Root" }) };
    serviceEvent.detail.eventType = "AwsServiceEvent";
    expect(matchesPattern(pattern("root-account-use"), serviceEvent)).toBe(false);
    expect(matchesPattern(pattern("root-account-use"), signIn("Root", "Yes"))).toBe(true);
    expect(matchesPattern(pattern("console-sign-in-without-mfa"), signIn("IAMUser", "No", "Failure"))).toBe(false);
    expect(matchesPattern(pattern("console-sign-in-without-mfa"), signIn("AssumedRole", "No"))).toBe(false);
    expect(matchesPattern(pattern("console-sign-in-without-mfa"), signIn("Root", "No"))).toBe(true);
  });

  it("knows where each alert's events arrive: IAM and sign-in in us-east-1, keys in every watched region", () => {
    expect(Object.fromEntries(securityAlertRules(7).map((r) => [r.name, r.scope]))).toEqual({
      "guardduty-findings": "home",
      "iam-policy-changes": "global",
      "kms-key-disabled-or-deleted": "regional",
      "audit-trail-stopped": "home",
      "security-group-changes": "home",
      "root-account-use": "global",
      "console-sign-in-without-mfa": "global",
    });
  });
});
