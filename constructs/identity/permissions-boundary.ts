import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Aspects, type IAspect } from "cdktf";
import type { IConstruct } from "constructs";

/**
 * An aspect that gives every IAM role below a scope a permissions boundary, unless the role names its own. Under the
 * blueprint's deploy boundary the pipeline may create a role only with that same boundary, so every stack the
 * pipeline applies carries this aspect.
 */
export class PermissionsBoundary implements IAspect {
  /**
   * Applies the boundary to every role below `scope`.
   * @param policyArn the boundary's ARN, or a function that makes it when the first role is found (so that a stack
   *   without roles gets no lookup of its account)
   */
  public static applyTo(scope: IConstruct, policyArn: string | (() => string)): void {
    Aspects.of(scope).add(new PermissionsBoundary(policyArn));
  }

  private arn?: string;

  private constructor(private readonly policyArn: string | (() => string)) {}

  public visit(node: IConstruct): void {
    if (!(node instanceof IamRole) || node.permissionsBoundaryInput !== undefined) return;
    this.arn ??= typeof this.policyArn === "string" ? this.policyArn : this.policyArn();
    node.permissionsBoundary = this.arn;
  }
}
