import { GithubActionsRole, type GithubActionsRoleProps } from "../../../constructs/identity/github-actions-role";
import { onlyResource, statementsOf, synthJson, testStack } from "../../support/synth";

const BOUNDARY = "arn:aws:iam::111122223333:policy/smd-dev-ci-boundary";

function synthRole(props: Partial<GithubActionsRoleProps> = {}) {
  const stack = testStack();
  new GithubActionsRole(stack, "Plan", {
    roleName: "smd-dev-ci-plan",
    description: "plans",
    repository: "example-org/models",
    subject: { pullRequest: true },
    permissionsBoundaryArn: BOUNDARY,
    statements: [
      { sid: "Read", actions: ["ec2:DescribeVpcs"], resources: ["*"], wildcardResourceReason: "Describe takes no ARN" },
    ],
    ...props,
  });
  const json = synthJson(stack);
  return { role: onlyResource(json, "aws_iam_role"), policy: onlyResource(json, "aws_iam_role_policy") };
}

describe("GithubActionsRole", () => {
  it("trusts the account's GitHub OIDC provider for one repository's exact claims", () => {
    const { role } = synthRole();
    expect(statementsOf(role.assume_role_policy)).toEqual([
      {
        Sid: "GithubActions",
        Effect: "Allow",
        Principal: {
          Federated: [
            "arn:aws:iam::${data.aws_caller_identity.AwsContext_Caller_144E9D26.account_id}:oidc-provider/token.actions.githubusercontent.com",
          ],
        },
        Action: ["sts:AssumeRoleWithWebIdentity"],
        Condition: {
          StringEquals: {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": "repo:example-org/models:pull_request",
          },
        },
      },
    ]);
    expect(role).toMatchObject({ permissions_boundary: BOUNDARY, max_session_duration: 3600 });
  });

  it("names a GitHub environment in the subject for deploy roles", () => {
    const { role } = synthRole({ subject: { environment: "prod" } });
    expect(String(role.assume_role_policy)).toContain('"repo:example-org/models:environment:prod"');
  });

  it.each<[string, Partial<GithubActionsRoleProps>, string]>([
    [
      "a wildcard repository",
      { repository: "example-org/*" },
      'repository = "example-org/*" is not allowed; allowed: a GitHub repository as owner/name',
    ],
    ["an owner alone", { repository: "example-org" }, 'repository = "example-org" is not allowed'],
    ["a wildcard environment", { subject: { environment: "*" } }, 'subject.environment = "*" is not allowed'],
    ["a session over 12 hours", { maxSessionDurationSeconds: 86400 }, "maxSessionDurationSeconds = 86400"],
  ])("rejects %s", (_case, props, message) => {
    expect(() => synthRole(props)).toThrow(message);
  });
});
