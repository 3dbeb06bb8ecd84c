/**
 * The security alerts the blueprint raises, as EventBridge event patterns: GuardDuty findings, IAM policy changes,
 * KMS keys disabled or scheduled for deletion, the audit trail stopped or changed, security group changes, root
 * account use and console sign-ins without MFA. Each names the regions its events arrive in: IAM and console sign-in
 * events reach EventBridge in us-east-1 only, wherever the account works.
 */

/** An EventBridge event pattern, as JSON. */
export type EventPattern = Readonly<Record<string, unknown>>;

/** Where an alert's events arrive. */
export type AlertScope =
  /** In the topic's region only (the detector, the trail and the VPC live there). */
  | "home"
  /** In the topic's region and every watched region (keys of a replica). */
  | "regional"
  /** In us-east-1, where global services (IAM, sign-in) deliver, and the topic's region. */
  | "global";

/** One alert rule. */
export interface AlertRule {
  /** Short name, kebab case: the rule is `<topic name>-<name>`. */
  readonly name: string;
  /** What the alert means, for the console and the README. */
  readonly description: string;
  readonly pattern: EventPattern;
  readonly scope: AlertScope;
}

/** The region where AWS delivers the events of global services (IAM, STS, console sign-in) to EventBridge. */
export const GLOBAL_EVENTS_REGION = "us-east-1";

/** GuardDuty's severity scale: Low 1.0–3.9, Medium 4.0–6.9, High 7.0–8.9, Critical 9.0–10.0. */
export const GUARDDUTY_SEVERITY = { min: 1, max: 10 } as const;

const API_CALL = "AWS API Call via CloudTrail";
const SIGN_IN = "AWS Console Sign In via CloudTrail";

/** IAM calls that change what a principal may do. */
export const IAM_POLICY_CHANGE_EVENTS: readonly string[] = [
  "AttachGroupPolicy",
  "AttachRolePolicy",
  "AttachUserPolicy",
  "CreatePolicy",
  "CreatePolicyVersion",
  "DeleteGroupPolicy",
  "DeletePolicy",
  "DeletePolicyVersion",
  "DeleteRolePermissionsBoundary",
  "DeleteRolePolicy",
  "DeleteUserPermissionsBoundary",
  "DeleteUserPolicy",
  "DetachGroupPolicy",
  "DetachRolePolicy",
  "DetachUserPolicy",
  "PutGroupPolicy",
  "PutRolePermissionsBoundary",
  "PutRolePolicy",
  "PutUserPermissionsBoundary",
  "PutUserPolicy",
  "SetDefaultPolicyVersion",
  "UpdateAssumeRolePolicy",
];

/** Security group calls that open, close, create or delete a path. */
export const SECURITY_GROUP_CHANGE_EVENTS: readonly string[] = [
  "AuthorizeSecurityGroupEgress",
  "AuthorizeSecurityGroupIngress",
  "CreateSecurityGroup",
  "DeleteSecurityGroup",
  "ModifySecurityGroupRules",
  "RevokeSecurityGroupEgress",
  "RevokeSecurityGroupIngress",
];

/** The blueprint's alert rules, GuardDuty findings from `minimumSeverity` up. */
export function securityAlertRules(minimumSeverity: number): AlertRule[] {
  const apiCalls = (source: string, eventSource: string, eventName: readonly string[]) => ({
    source: [source],
    "detail-type": [API_CALL],
    detail: { eventSource: [eventSource], eventName: [...eventName] },
  });
  return [
    {
      name: "guardduty-findings",
      description: `GuardDuty findings of severity ${minimumSeverity} or more`,
      pattern: {
        source: ["aws.guardduty"],
        "detail-type": ["GuardDuty Finding"],
        detail: { severity: [{ numeric: [">=", minimumSeverity] }] },
      },
      scope: "home",
    },
    {
      name: "iam-policy-changes",
      description: "IAM policies, boundaries or role trust changed",
      pattern: apiCalls("aws.iam", "iam.amazonaws.com", IAM_POLICY_CHANGE_EVENTS),
      scope: "global",
    },
    {
      name: "kms-key-disabled-or-deleted",
      description: "A KMS key disabled or scheduled for deletion",
      pattern: apiCalls("aws.kms", "kms.amazonaws.com", ["DisableKey", "ScheduleKeyDeletion"]),
      scope: "regional",
    },
    {
      name: "audit-trail-stopped",
      description: "CloudTrail logging stopped, a trail deleted, or its configuration or event selectors changed",
      pattern: apiCalls("aws.cloudtrail", "cloudtrail.amazonaws.com", [
        "DeleteTrail",
        "PutEventSelectors",
        "StopLogging",
        "UpdateTrail",
      ]),
      scope: "home",
    },
    {
      name: "security-group-changes",
      description: "A security group created, deleted or its rules changed",
      pattern: apiCalls("aws.ec2", "ec2.amazonaws.com", SECURITY_GROUP_CHANGE_EVENTS),
      scope: "home",
    },
    {
      name: "root-account-use",
      description: "The account's root user signed in or called an API",
      pattern: {
        "detail-type": [API_CALL, SIGN_IN],
        detail: { userIdentity: { type: ["Root"] }, eventType: [{ "anything-but": "AwsServiceEvent" }] },
      },
      scope: "global",
    },
    {
      name: "console-sign-in-without-mfa",
      description: "An IAM user or the root user signed in to the console without MFA",
      pattern: {
        "detail-type": [SIGN_IN],
        detail: {
          eventName: ["ConsoleLogin"],
          userIdentity: { type: ["IAMUser", "Root"] },
          additionalEventData: { MFAUsed: ["No"] },
          responseElements: { ConsoleLogin: ["Success"] },
        },
      },
      scope: "global",
    },
  ];
}
