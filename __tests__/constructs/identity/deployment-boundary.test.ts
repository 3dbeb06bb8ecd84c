import { DeploymentBoundary, type DeploymentBoundaryProps } from "../../../constructs/identity/deployment-boundary";
import { onlyResource, statementsOf, synthJson, testStack } from "../../support/synth";

function synthBoundary(props: Partial<DeploymentBoundaryProps> = {}) {
  const stack = testStack();
  new DeploymentBoundary(stack, "Boundary", {
    policyName: "smd-dev-ci-boundary",
    namePrefix: "smd-dev",
    protectedRoleNamePrefix: "smd-dev-ci-",
    protectedServiceRoleNamePrefix: "smd-dev-svc-",
    eventRegions: ["us-east-1"],
    regions: ["eu-west-1"],
    ...props,
  });
  return statementsOf(onlyResource(synthJson(stack), "aws_iam_policy").policy);
}

describe("DeploymentBoundary", () => {
  const statements = synthBoundary();
  const sid = (name: string) => statements.find((s) => s.Sid === name)!;

  it("manages IAM only for the blueprint's own names, and never lets it grant itself more", () => {
    expect(sid("ManageBlueprintIam").Resource).toEqual([
      expect.stringMatching(/:role\/smd-dev-\*$/),
      expect.stringMatching(/:policy\/smd-dev-\*$/),
      expect.stringMatching(/:instance-profile\/smd-dev-\*$/),
    ]);
    expect(sid("ManageBlueprintServices").Action).not.toContain("iam:*");
    expect(sid("DenyRolesWithoutThisBoundary").Condition).toEqual({
      StringNotEquals: { "iam:PermissionsBoundary": expect.stringMatching(/:policy\/smd-dev-ci-boundary$/) },
    });
    expect(sid("DenyPipelineRoleChanges").Resource).toEqual([
      expect.stringMatching(/:role\/smd-dev-ci-\*$/),
      expect.stringMatching(/:oidc-provider\/token\.actions\.githubusercontent\.com$/),
    ]);
  });

  it("lets the roles it bounds exchange pods' tokens on the region's clusters, which the deploy role itself may not", () => {
    expect(sid("RunPodIdentity")).toMatchObject({
      Effect: "Allow",
      Action: ["eks-auth:AssumeRoleForPodIdentity"],
      Resource: [expect.stringMatching(/^arn:aws:eks:eu-west-1:.+:cluster\/\*$/)],
    });
    const stack = testStack();
    const boundary = new DeploymentBoundary(stack, "Boundary", {
      policyName: "b",
      namePrefix: "smd-dev",
      protectedRoleNamePrefix: "smd-dev-ci-",
      regions: ["eu-west-1"],
    });
    expect(boundary.statements.map((s) => s.sid)).not.toContain("RunPodIdentity");
  });

  it("fences the regions, letting only global services through, and EventBridge into its event regions only", () => {
    expect(sid("DenyOtherRegions")).toMatchObject({
      Effect: "Deny",
      NotAction: ["iam:*", "sts:*", "route53:*", "support:*", "health:*", "events:*"],
      Condition: { StringNotEquals: { "aws:RequestedRegion": ["eu-west-1"] } },
    });
    expect(sid("DenyOtherRegions").Action).toBeUndefined();
    expect(sid("DenyEventsInOtherRegions")).toMatchObject({
      Effect: "Deny",
      Action: ["events:*"],
      Condition: { StringNotEquals: { "aws:RequestedRegion": ["eu-west-1", "us-east-1"] } },
    });
    const plain = synthBoundary({ eventRegions: undefined });
    expect(plain.find((s) => s.Sid === "DenyOtherRegions")).toMatchObject({
      NotAction: ["iam:*", "sts:*", "route53:*", "support:*", "health:*"],
    });
    expect(plain.find((s) => s.Sid === "DenyEventsInOtherRegions")).toBeUndefined();
  });

  it("keeps the pipeline from re-trusting or re-creating the service roles resource policies exempt by name", () => {
    expect(sid("DenyServiceRoleTrustChanges")).toMatchObject({
      Effect: "Deny",
      Action: ["iam:UpdateAssumeRolePolicy", "iam:DeleteRole"],
      Resource: [expect.stringMatching(/:role\/smd-dev-svc-\*$/)],
    });
  });

  it.each<[string, Partial<DeploymentBoundaryProps>, string]>([
    [
      "a protected prefix outside its names",
      { protectedRoleNamePrefix: "ci-" },
      'protectedRoleNamePrefix = "ci-" is not allowed',
    ],
    ["no region", { regions: [] }, "regions = [] is not allowed; allowed: at least one region"],
    [
      "a service-role prefix outside its names",
      { protectedServiceRoleNamePrefix: "svc-" },
      'protectedServiceRoleNamePrefix = "svc-" is not allowed',
    ],
    ["an invented event region", { eventRegions: ["global"] }, 'eventRegions = "global" is not allowed'],
    ["iam as a service in full", { services: ["ec2", "iam"] }, 'services = "iam" is not allowed'],
  ])("rejects %s", (_case, props, message) => {
    expect(() => synthBoundary(props)).toThrow(message);
  });
});
