import {
  isAnyPrincipal,
  isNarrowedByCondition,
  isWildcardAction,
  type NormalStatement,
  POLICY_TYPES,
  policiesOf,
} from "../policy-documents";
import { type Rule, unverified } from "../rule";
import type { StackElement, StackIndex } from "../stack-index";
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
  test: (s: NormalStatement) => string | undefined,
): string[] {
  const found: string[] = [];
  for (const { attribute, policy } of policiesOf(element, index)) {
    if (policy.kind !== "document") continue;
    policy.statements.forEach((statement, i) => {
      const problem = test(statement);
      if (problem) found.push(`${attribute} statement ${statement.sid ?? `#${i + 1}`}: ${problem}`);
    });
  }
  return found;
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
];
