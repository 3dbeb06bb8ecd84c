import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamSessionContext } from "@cdktf/provider-aws/lib/data-aws-iam-session-context";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { TerraformProvider, TerraformStack, Token } from "cdktf";
import { Construct, type IConstruct } from "constructs";

const CONTEXT_ID = "AwsContext";
/** Marks an AwsContext, so that it is recognized whichever copy of this library made it (never `instanceof`). */
const CONTEXT_SYMBOL = Symbol.for("secure-model-deployment-blueprint/AwsContext");

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
 * The literal region of a stack's default AWS provider (the one without an alias), if it has one. Providers are
 * recognized by cdktf's own check and their type, so a provider made by another copy of cdktf or of the AWS provider
 * bindings counts too.
 */
export function providerRegion(stack: IConstruct): string | undefined {
  for (const child of stack.node.children) {
    if (!TerraformProvider.isTerraformProvider(child) || child.terraformResourceType !== "aws" || child.alias) continue;
    const region = (child as { region?: unknown }).region;
    return typeof region === "string" && !Token.isUnresolved(region) ? region : undefined;
  }
  return undefined;
}

/**
 * One per stack: the account, region, partition and deploying principal that constructs need to write
 * exact ARNs in policies. It is made on first use: the region is the literal region of the stack's default AWS
 * provider when it has one (else an `aws_region` lookup), and data sources are created on first use only, so a stack
 * that never asks for the account has no `aws_caller_identity` lookup. {@link AwsContext.register} is needed only to
 * give a region the provider does not carry as a literal.
 */
export class AwsContext extends Construct {
  /**
   * Registers the stack's literal region. Optional: without it the context takes the region of the stack's AWS
   * provider. Call it before any construct asks for the context.
   */
  public static register(stack: TerraformStack, props: AwsContextProps): AwsContext {
    if (!TerraformStack.isStack(stack)) {
      throw new Error(
        `${(stack as IConstruct).node?.path ?? String(stack)}: AwsContext.register takes a TerraformStack`,
      );
    }
    if (stack.node.tryFindChild(CONTEXT_ID)) {
      throw new Error(
        `${stack.node.path}: AwsContext is already registered for this stack (a construct asked for it before this call, or register ran twice); call AwsContext.register right after creating the stack's AWS provider, before any construct`,
      );
    }
    return new AwsContext(stack, CONTEXT_ID, props);
  }

  /** The stack's context: the registered one, else one made now from the stack's AWS provider. */
  public static of(scope: IConstruct): AwsContext {
    const stack = TerraformStack.of(scope);
    const existing = stack.node.tryFindChild(CONTEXT_ID);
    if (existing && CONTEXT_SYMBOL in existing) return existing as unknown as AwsContext;
    if (existing) throw new Error(`${existing.node.path}: this construct ID is reserved for the stack's AwsContext`);
    return new AwsContext(stack, CONTEXT_ID, { region: providerRegion(stack) });
  }

  private readonly literalRegion?: string;
  private callerIdentity?: DataAwsCallerIdentity;
  private sessionContext?: DataAwsIamSessionContext;
  private regionLookup?: DataAwsRegion;
  private regionToken?: string;
  private partitionLookup?: DataAwsPartition;
  private partitionToken?: string;

  private constructor(scope: Construct, id: string, props: AwsContextProps) {
    super(scope, id);
    Object.defineProperty(this, CONTEXT_SYMBOL, { value: true });
    this.literalRegion = props.region;
  }

  /** The account ID (a reference to `aws_caller_identity`). */
  public get accountId(): string {
    return this.identity().accountId;
  }

  /**
   * The region: the registered or the provider's literal, else a reference to `aws_region` (the same token every
   * time, so that two constructs' regions compare equal).
   */
  public get region(): string {
    if (this.literalRegion) return this.literalRegion;
    this.regionLookup ??= new DataAwsRegion(this, "Region");
    this.regionToken ??= this.regionLookup.region;
    return this.regionToken;
  }

  /** The partition (`aws`, `aws-cn`, `aws-us-gov`): a literal when the region is, else a reference to `aws_partition`. */
  public get partition(): string {
    if (this.literalRegion) return partitionOf(this.literalRegion);
    this.partitionLookup ??= new DataAwsPartition(this, "Partition");
    this.partitionToken ??= this.partitionLookup.partition;
    return this.partitionToken;
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
