import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { LocalBackend, S3Backend, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { AwsContext } from "../constructs/core/aws-context";
import { PermissionsBoundary } from "../constructs/identity/permissions-boundary";
import { Guardrails } from "../policies/guardrails/guardrails";
import { SUPPRESSIONS } from "../policies/suppressions";
import { ciNames, type EnvironmentConfig } from "./config";

/** Where Terraform state is kept: `s3` (the default, from the environment's `state`) or `local` for trying things out. */
export type BackendMode = "s3" | "local";
export const BACKEND_MODES: readonly BackendMode[] = ["s3", "local"];

/** Properties shared by every stack of the blueprint. */
export interface BlueprintStackProps {
  /** The validated environment the stack belongs to. */
  readonly environment: EnvironmentConfig;
  /** State backend. Default: `s3`. */
  readonly backend?: BackendMode;
  /**
   * Gives every IAM role of the stack the deploy pipeline's permissions boundary (made by the `bootstrap` stack),
   * without which the pipeline may not create a role. Default: true; the bootstrap stack, which makes the boundary
   * and whose roles name it themselves, turns it off.
   */
  readonly deployBoundary?: boolean;
}

/**
 * What every stack has: one AWS provider for the environment's region (pinned to its account when configured),
 * the environment's tags as `default_tags`, the literal region registered for constructs, and a remote state
 * backend: S3 with a customer KMS key and S3-native lock files (Terraform 1.10+), no DynamoDB table.
 */
export class BlueprintStack extends TerraformStack {
  /** The environment this stack was built for. */
  public readonly environment: EnvironmentConfig;
  /**
   * The ARN of the environment's plan role (made by the `bootstrap` stack), for key policies: `terraform plan` reads
   * every key's configuration, and key policies delegate nothing to IAM.
   */
  public get planRoleArn(): string {
    const context = AwsContext.of(this);
    return context.iamArn(`role/${ciNames(this.environment).planRole}`);
  }

  constructor(scope: Construct, id: string, props: BlueprintStackProps) {
    super(scope, id);
    const env = props.environment;
    this.environment = env;
    new AwsProvider(this, "aws", {
      region: env.region,
      allowedAccountIds: env.accountId ? [env.accountId] : undefined,
      defaultTags: [
        {
          tags: {
            Project: "secure-model-deployment",
            Environment: env.name,
            Owner: env.tags.owner,
            DataClassification: env.tags.dataClassification,
            CostCentre: env.tags.costCentre,
            ManagedBy: "cdktf",
            Stack: id,
          },
        },
      ],
    });
    const context = AwsContext.register(this, { region: env.region });
    Guardrails.applyTo(this, { suppressions: SUPPRESSIONS });
    if (props.deployBoundary ?? true) {
      PermissionsBoundary.applyTo(this, () => context.iamArn(`policy/${ciNames(env).boundary}`));
    }

    if ((props.backend ?? "s3") === "local") {
      new LocalBackend(this, { path: `terraform.${id}.tfstate` });
    } else {
      new S3Backend(this, {
        bucket: env.state.bucket,
        key: `${env.state.keyPrefix}/${id}.tfstate`,
        region: env.state.region,
        encrypt: true,
        kmsKeyId: env.state.kmsKeyId,
      });
      // cdktf 0.21's S3Backend has no useLockfile: S3-native locking (Terraform 1.10+) is set as an override.
      this.addOverride("terraform.backend.s3.use_lockfile", true);
    }
  }
}
