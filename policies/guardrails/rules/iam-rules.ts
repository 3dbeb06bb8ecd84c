import {
  isAnyPrincipal,
  isNarrowedByCondition,
  isWildcardAction,
  type NormalStatement,
  POLICY_TYPES,
  policiesOf,
} from "../policy-documents";
import { problems, type Rule, unverified } from "../rule";
import { isReference, type StackElement, type StackIndex, valuesAt } from "../stack-index";
import { ENDPOINT_POLICY_TYPES } from "./network-rules";

const POLICY_HOLDERS = [{ kind: "resource" as const, types: POLICY_TYPES }];
/**
 * Policies that grant: every policy holder but VPC endpoints, whose policies only filter what IAM already allows and
 * are held to the account perimeter by SMD-NET-9 instead (AWS's own perimeter policies are `"*"` on `"*"` under an
 * `aws:PrincipalAccount` condition).
 */
const GRANTING_POLICY_HOLDERS = [
  { kind: "resource" as const, types: POLICY_TYPES.filter((t) => !ENDPOINT_POLICY_TYPES.includes(t)) },
];

/** Statement by statement, the problems `test` finds in every readable policy an element holds. */
function eachStatement(
  element: StackElement,
  index: StackIndex,
  test: (s: NormalStatement, attribute: string) => string | undefined,
): string[] {
  const found: string[] = [];
  for (const { attribute, policy } of policiesOf(element, index)) {
    if (policy.kind !== "document") continue;
    policy.statements.forEach((statement, i) => {
      const problem = test(statement, attribute);
      if (problem) found.push(`${attribute} statement ${statement.sid ?? `#${i + 1}`}: ${problem}`);
    });
  }
  return found;
}

const GITHUB_ISSUER = "token.actions.githubusercontent.com";
/** A `sub` claim of exactly one repository: its pull requests, one environment, or one branch or tag. */
const GITHUB_SUBJECT =
  /^repo:[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+:(pull_request|environment:[A-Za-z0-9_.-]+|ref:refs\/(heads|tags)\/[A-Za-z0-9._/-]+)$/;

/** True when a trust statement federates GitHub Actions' OIDC provider (by ARN, or a reference to it). */
function federatesGithub(statement: NormalStatement, index: StackIndex): boolean {
  if (statement.principal === undefined || statement.principal === "*") return false;
  return (statement.principal.Federated ?? []).some((id) => {
    if (id.includes(`oidc-provider/${GITHUB_ISSUER}`)) return true;
    const provider = index.target(id)?.element;
    return provider?.type === "aws_iam_openid_connect_provider" && String(provider.config.url).includes(GITHUB_ISSUER);
  });
}

/** What a GitHub Actions trust statement lets in beyond one repository's exact claims. */
function githubTrustProblems(s: NormalStatement): string[] {
  const exact = s.conditions.StringEquals ?? {};
  const aud = exact[`${GITHUB_ISSUER}:aud`] ?? [];
  const sub = exact[`${GITHUB_ISSUER}:sub`] ?? [];
  const loose = Object.entries(s.conditions)
    .filter(([operator]) => operator !== "StringEquals")
    .flatMap(([operator, entries]) => Object.keys(entries).map((key) => `${operator} ${key}`))
    .filter((entry) => entry.includes(GITHUB_ISSUER));
  return problems(
    aud.length === 1 && aud[0] === "sts.amazonaws.com"
      ? undefined
      : `aud is ${JSON.stringify(aud)} (must be StringEquals "sts.amazonaws.com")`,
    sub.length === 0 ? "no StringEquals on sub: every repository on GitHub could assume the role" : undefined,
    ...sub.map((v) =>
      GITHUB_SUBJECT.test(v) || isReference(v)
        ? undefined
        : `sub ${JSON.stringify(v)} is not one repository's exact claim`,
    ),
    loose.length > 0 ? `the claims are also matched loosely (${loose.join(", ")})` : undefined,
  );
}

/**
 * Condition keys that keep a statement admitting an AWS service principal to requests made on behalf of this account
 * (against the confused deputy): the source account, resource or organization, or, for CloudWatch Logs' use of a
 * key, the log group ARN in the encryption context (which names the account).
 */
const SERVICE_SCOPE_KEYS = [
  "aws:sourceaccount",
  "aws:sourcearn",
  "aws:sourceorgid",
  "kms:encryptioncontext:aws:logs:arn",
];

/**
 * Services that take a role only when this account passes it to them (`iam:PassRole`): an EC2 instance profile, an
 * EKS cluster's role. A role cannot be passed across accounts, so their trust needs no source condition, and they set
 * none to test (EC2 and EKS send no `aws:SourceArn` when they assume it).
 */
export const PASSED_ROLE_SERVICES: readonly string[] = ["ec2.amazonaws.com", "eks.amazonaws.com"];

/** True when a trust statement admits only services that must be passed the role, to assume it and tag the session. */
function isPassedRoleTrust(s: NormalStatement, attribute: string): boolean {
  if (attribute !== "assume_role_policy" || s.principal === undefined || s.principal === "*") return false;
  const services = s.principal.Service ?? [];
  return (
    services.length > 0 &&
    services.every((service) => PASSED_ROLE_SERVICES.includes(service)) &&
    Object.keys(s.principal).every((kind) => kind === "Service") &&
    s.actions.every((action) => ["sts:AssumeRole", "sts:TagSession"].includes(action))
  );
}

/** True when an Allow for a service principal is scoped to this account's requests by a condition. */
function isScopedToSource(s: NormalStatement): boolean {
  return Object.values(s.conditions).some((entries) =>
    Object.entries(entries).some(
      ([key, values]) => SERVICE_SCOPE_KEYS.includes(key.toLowerCase()) && values.length > 0,
    ),
  );
}

/** Rules for every IAM and resource policy document. */
export const IAM_RULES: readonly Rule[] = [
  {
    id: "SMD-IAM-1",
    title: 'No policy allows every action on every resource ("*" on "*")',
    level: "error",
    suppressible: false,
    controls: ["C-LEAST-PRIVILEGE"],
    checkov: ["CKV_AWS_62", "CKV_AWS_1"],
    fix: "allow the exact actions on the exact resources the principal needs",
    targets: GRANTING_POLICY_HOLDERS,
    check: (element, index) =>
      eachStatement(element, index, (s) => {
        if (s.effect !== "Allow") return undefined;
        const everyAction = s.actions.includes("*") || s.notActions.length > 0;
        const everyResource = s.resources.includes("*") || s.notResources.length > 0;
        return everyAction && everyResource ? "allows every action on every resource" : undefined;
      }),
  },
  {
    id: "SMD-IAM-2",
    title: "Policies allow exact actions, never wildcards",
    level: "error",
    controls: ["C-LEAST-PRIVILEGE"],
    checkov: ["CKV_AWS_63"],
    fix: 'list each action by name ("s3:GetObject", not "s3:*" or "s3:Get*"), and use Action instead of NotAction',
    targets: GRANTING_POLICY_HOLDERS,
    check: (element, index) =>
      eachStatement(element, index, (s) => {
        if (s.effect !== "Allow") return undefined;
        if (s.notActions.length > 0) return `allows everything but ${s.notActions.join(", ")} (NotAction)`;
        const wild = s.actions.filter(isWildcardAction);
        return wild.length > 0 ? `allows the wildcard actions ${wild.join(", ")}` : undefined;
      }),
  },
  {
    id: "SMD-IAM-3",
    title: "No resource or trust policy allows every principal",
    level: "error",
    suppressible: false,
    controls: ["C-RESTRICTED-MODEL-ACCESS", "C-LEAST-PRIVILEGE"],
    checkov: ["CKV_AWS_33", "CKV_AWS_70"],
    fix: 'name the principals, or narrow "*" with a condition on aws:SourceArn, aws:SourceAccount, aws:PrincipalAccount, aws:PrincipalOrgID or aws:SourceVpce',
    targets: GRANTING_POLICY_HOLDERS,
    check: (element, index) =>
      eachStatement(element, index, (s) => {
        if (s.effect !== "Allow") return undefined;
        if (s.notPrincipal) return "allows every principal but those listed (NotPrincipal)";
        return isAnyPrincipal(s) && !isNarrowedByCondition(s)
          ? "allows every principal without a condition that narrows it"
          : undefined;
      }),
  },
  {
    id: "SMD-IAM-4",
    title: "Policy documents are readable at synth time",
    level: "error",
    controls: ["C-LEAST-PRIVILEGE"],
    fix: "render the policy as literal JSON (PolicyDocument does) or take it from an aws_iam_policy_document of the same stack; ARNs inside it may be references",
    targets: POLICY_HOLDERS,
    check: (element, index) =>
      policiesOf(element, index).flatMap(({ attribute, policy }) => {
        if (policy.kind === "unverifiable") return [unverified(attribute, policy.value)];
        if (policy.kind === "invalid") return [`${attribute} is not a policy document: ${policy.why}`];
        return [];
      }),
  },
  {
    id: "SMD-IAM-5",
    title: "GitHub Actions roles trust one repository's exact claims",
    level: "error",
    suppressible: false,
    controls: ["C-SHORT-LIVED-CREDENTIALS", "C-LEAST-PRIVILEGE"],
    checkov: ["CKV_AWS_358", "CKV_AWS_393"],
    fix: 'require StringEquals on token.actions.githubusercontent.com:aud = "sts.amazonaws.com" and :sub = "repo:owner/name:pull_request" or "repo:owner/name:environment:<env>", with no wildcard (GithubActionsRole does)',
    targets: [{ kind: "resource", types: ["aws_iam_role", "aws_iam_openid_connect_provider"] }],
    check: (element, index) => {
      if (element.type === "aws_iam_openid_connect_provider") {
        if (!String(element.config.url).includes(GITHUB_ISSUER)) return [];
        const audiences = valuesAt(element.config, "client_id_list");
        return audiences.length === 1 && audiences[0] === "sts.amazonaws.com"
          ? []
          : [`client_id_list is ${JSON.stringify(audiences)} (must be ["sts.amazonaws.com"])`];
      }
      return eachStatement(element, index, (s) => {
        if (s.effect !== "Allow" || !federatesGithub(s, index)) return undefined;
        const found = githubTrustProblems(s);
        return found.length > 0 ? found.join("; ") : undefined;
      });
    },
  },
  {
    id: "SMD-IAM-6",
    title: "IAM roles carry a permissions boundary",
    level: "error",
    controls: ["C-LEAST-PRIVILEGE"],
    fix: "set permissions_boundary to the deploy boundary: PermissionsBoundary.applyTo(stack, boundaryArn) does it for every role of a stack (the deploy pipeline may not create a role without it)",
    targets: [{ kind: "resource", types: ["aws_iam_role"] }],
    check: (role) =>
      role.config.permissions_boundary
        ? []
        : ["permissions_boundary is not set, so nothing caps what the role can be given"],
  },
  {
    id: "SMD-IAM-7",
    title: "Policies admit AWS services only on this account's behalf",
    level: "error",
    controls: ["C-LEAST-PRIVILEGE"],
    fix: "narrow every Allow for a service principal with aws:SourceAccount or aws:SourceArn (or, for CloudWatch Logs on a key, the kms:EncryptionContext:aws:logs:arn of the log group), so that another account cannot make the service act on your resources (the confused deputy); only the trust of a role EC2 or EKS must be passed (iam:PassRole) needs none",
    targets: GRANTING_POLICY_HOLDERS,
    check: (element, index) =>
      eachStatement(element, index, (s, attribute) => {
        if (s.effect !== "Allow" || s.principal === undefined || s.principal === "*") return undefined;
        if (isPassedRoleTrust(s, attribute)) return undefined;
        const services = s.principal.Service ?? [];
        if (services.length === 0 || isScopedToSource(s)) return undefined;
        return `admits ${services.join(", ")} for any account's requests (no aws:SourceAccount or aws:SourceArn condition)`;
      }),
  },
];
