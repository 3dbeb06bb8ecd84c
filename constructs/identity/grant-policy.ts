import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Lazy } from "cdktf";
import type { Construct } from "constructs";
import { PolicyDocument, type PolicyStatement } from "./policy-document";

/**
 * The one inline policy a grantable role collects its grants in: created with the first statement (a role granted
 * nothing has no policy), rendered at synth, and checked statement by statement as they are added, so that a bad
 * statement fails where it is added. Shared by `WorkloadRole` and `ServiceRole`.
 */
export class GrantPolicy {
  private readonly list: PolicyStatement[] = [];
  private policy?: IamRolePolicy;

  /**
   * @param scope - the construct the policy is created in, under the ID `Policy`
   * @param roleId - the role's ID (`aws_iam_role.id`, its name)
   * @param name - the inline policy's name
   */
  constructor(
    private readonly scope: Construct,
    private readonly roleId: string,
    private readonly name: string,
  ) {}

  /** Adds a statement (the first one creates the policy). */
  public add(statement: PolicyStatement): void {
    new PolicyDocument(`${this.scope.node.path} policy`, [...this.list, statement]);
    this.list.push(statement);
    this.policy ??= new IamRolePolicy(this.scope, "Policy", {
      name: this.name,
      role: this.roleId,
      policy: Lazy.stringValue({
        produce: () => new PolicyDocument(`${this.scope.node.path} policy`, this.list).toJson(),
      }),
    });
  }

  /** The statements added so far. */
  public get statements(): readonly PolicyStatement[] {
    return [...this.list];
  }
}
