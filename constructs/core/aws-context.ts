import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamSessionContext } from "@cdktf/provider-aws/lib/data-aws-iam-session-context";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { TerraformStack } from "cdktf";
import { Construct, type IConstruct } from "constructs";

const CONTEXT_ID = "AwsContext";

/** Literal facts a stack knows about its AWS target; anything left out is looked up with data sources. */
export interface AwsContextProps {
  /** The region the stack's provider targets, as a literal so that policies and scanners can read it. Default: looked up with `aws_region`. */
  readonly region?: string;
}

/** The AWS partition a region belongs to. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/**
 * One per stack: the account, region, partition and deploying principal that constructs need to write
 * exact ARNs in policies. Data sources are created on first use only, so a stack that never asks for the
 * account has no `aws_caller_identity` lookup.
 */
export class AwsContext extends Construct {
  /** Registers the stack's literal region; call once from the stack, before constructs ask for the context. */
  public static register(stack: TerraformStack, props: AwsContextProps): AwsContext {
    if (stack.node.tryFindChild(CONTEXT_ID)) {
      throw new Error(`${stack.node.path}: AwsContext is already registered for this stack`);
    }
    return new AwsContext(stack, CONTEXT_ID, props);
  }

  /** The stack's context, created with data-source lookups if the stack registered none. */
  public static of(scope: IConstruct): AwsContext {
    const stack = TerraformStack.of(scope);
    const existing = stack.node.tryFindChild(CONTEXT_ID);
    return existing instanceof AwsContext ? existing : new AwsContext(stack, CONTEXT_ID, {});
  }

  private readonly literalRegion?: string;
  private callerIdentity?: DataAwsCallerIdentity;
  private sessionContext?: DataAwsIamSessionContext;
  private regionLookup?: DataAwsRegion;
  private partitionLookup?: DataAwsPartition;

  private constructor(scope: Construct, id: string, props: AwsContextProps) {
    super(scope, id);
    this.literalRegion = props.region;
  }

  /** The account ID (a reference to `aws_caller_identity`). */
  public get accountId(): string {
    return this.identity().accountId;
  }

  /** The region: the registered literal, else a reference to `aws_region`. */
  public get region(): string {
    if (this.literalRegion) return this.literalRegion;
    this.regionLookup ??= new DataAwsRegion(this, "Region");
    return this.regionLookup.region;
  }

  /** The partition (`aws`, `aws-cn`, `aws-us-gov`): a literal when the region is, else a reference to `aws_partition`. */
  public get partition(): string {
    if (this.literalRegion) return partitionOf(this.literalRegion);
    this.partitionLookup ??= new DataAwsPartition(this, "Partition");
    return this.partitionLookup.partition;
  }

  /**
   * The IAM role or user that runs Terraform, as its issuer ARN (`arn:aws:iam::123456789012:role/apply`, not the
   * temporary assumed-role session ARN), so that policies can name it.
   */
  public get deployerArn(): string {
    this.sessionContext ??= new DataAwsIamSessionContext(this, "Deployer", { arn: this.identity().arn });
    return this.sessionContext.issuerArn;
  }

  /** The ARN of the account's root user, for statements restricted to the root user itself. */
  public get rootArn(): string {
    return this.iamArn("root");
  }

  /**
   * The ARN of an IAM resource of this account, known before it exists: `iamArn("role/smd-dev-ci-plan")`,
   * `iamArn("policy/smd-dev-ci-boundary")`, `iamArn("oidc-provider/token.actions.githubusercontent.com")`.
   */
  public iamArn(resource: string): string {
    return `arn:${this.partition}:iam::${this.accountId}:${resource}`;
  }

  private identity(): DataAwsCallerIdentity {
    this.callerIdentity ??= new DataAwsCallerIdentity(this, "Caller");
    return this.callerIdentity;
  }
}
