import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { PermissionsBoundary } from "../../../constructs/identity/permissions-boundary";
import { resourcesOf, synthJson, testStack } from "../../support/synth";

const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

describe("PermissionsBoundary", () => {
  it("gives every role below the scope the boundary, unless a role names its own", () => {
    const stack = testStack();
    let made = 0;
    PermissionsBoundary.applyTo(stack, () => {
      made += 1;
      return "arn:aws:iam::111122223333:policy/deploy-boundary";
    });
    new IamRole(stack, "Plain", { assumeRolePolicy: TRUST });
    new IamRole(stack, "Second", { assumeRolePolicy: TRUST });
    new IamRole(stack, "Own", { assumeRolePolicy: TRUST, permissionsBoundary: "arn:aws:iam::111122223333:policy/own" });
    const roles = resourcesOf(synthJson(stack), "aws_iam_role");
    expect(Object.values(roles).map((r) => r.permissions_boundary)).toEqual([
      "arn:aws:iam::111122223333:policy/own",
      "arn:aws:iam::111122223333:policy/deploy-boundary",
      "arn:aws:iam::111122223333:policy/deploy-boundary",
    ]);
    expect(made).toBe(1);
  });

  it("makes no ARN (and looks nothing up) in a stack without roles", () => {
    const stack = testStack();
    PermissionsBoundary.applyTo(stack, () => {
      throw new Error("must not be called");
    });
    expect(() => synthJson(stack)).not.toThrow();
  });
});
