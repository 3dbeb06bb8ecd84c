import { TerraformElement, TerraformResource, TerraformStack } from "cdktf";
import type { Construct, IConstruct } from "constructs";

/** What this code reads and sets on an `aws_iam_role`, whichever copy of the AWS provider bindings made it. */
interface BoundableRole {
  readonly permissionsBoundaryInput?: string;
  permissionsBoundary: string;
}

/** True for an `aws_iam_role` resource, recognized by cdktf's own check and its type, never by `instanceof`. */
function isIamRole(node: IConstruct): node is TerraformResource & BoundableRole {
  return TerraformResource.isTerraformResource(node) && node.terraformResourceType === "aws_iam_role";
}

/**
 * Gives every IAM role below a scope a permissions boundary, unless the role names its own. Under the blueprint's
 * deploy boundary the pipeline may create a role only with that same boundary, so every stack the pipeline applies
 * carries it.
 *
 * It is a stack element that sets the boundaries whenever the stack is rendered (before any resource is rendered, in
 * `toMetadata`), not an aspect: cdktf keeps aspects under a symbol private to one copy of cdktf, so an aspect added
 * through this library's copy would never run in an app whose stacks come from another copy (a directory install,
 * `npm link`). Roles are recognized with `TerraformResource.isTerraformResource` and their resource type, for the same
 * reason, and every render sees them, `skipValidation` or not.
 */
export class PermissionsBoundary extends TerraformElement {
  /**
   * Applies the boundary to every role below `scope`, including roles created after this call.
   * @param policyArn - the boundary's ARN, or a function that makes it when the first role is found (so that a stack
   *   without roles gets no lookup of its account)
   */
  public static applyTo(scope: IConstruct, policyArn: string | (() => string)): PermissionsBoundary {
    if (!TerraformStack.isStack(scope) && !scope.node.scopes.some((s) => TerraformStack.isStack(s))) {
      throw new Error(`${scope.node.path}: PermissionsBoundary.applyTo takes a stack or a construct inside one`);
    }
    let id = "PermissionsBoundary";
    for (let n = 2; scope.node.tryFindChild(id); n += 1) id = `PermissionsBoundary${n}`;
    return new PermissionsBoundary(scope as Construct, id, policyArn);
  }

  private arn?: string;

  private constructor(
    scope: Construct,
    id: string,
    private readonly policyArn: string | (() => string),
  ) {
    super(scope, id);
  }

  /** The scope whose roles get the boundary. */
  private get target(): IConstruct {
    return this.node.scope as IConstruct;
  }

  /** Sets the boundary on every role below the scope that has none. Idempotent. */
  public apply(): void {
    for (const node of this.target.node.findAll()) {
      if (!isIamRole(node) || node.permissionsBoundaryInput !== undefined) continue;
      this.arn ??= typeof this.policyArn === "string" ? this.policyArn : this.policyArn();
      node.permissionsBoundary = this.arn;
    }
  }

  /**
   * Called for every element before any is rendered: setting the boundaries here puts them into this very render.
   * (`App.synth` also calls {@link PermissionsBoundary.toTerraform} while it prepares the stack, before anything is rendered, so a lookup
   * the ARN needs is made in time to be rendered too.)
   */
  public override toMetadata(): Record<string, never> {
    this.apply();
    return {};
  }

  /** Renders nothing: the boundary lands on the roles. */
  public override toTerraform(): Record<string, never> {
    this.apply();
    return {};
  }

  /** Renders nothing: the boundary lands on the roles. */
  public override toHclTerraform(): Record<string, never> {
    this.apply();
    return {};
  }
}
