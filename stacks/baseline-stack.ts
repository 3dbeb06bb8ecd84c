import { S3AccountPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-account-public-access-block";
import type { Construct } from "constructs";
import { BlueprintStack, type BlueprintStackProps } from "./blueprint-stack";

/**
 * Account-wide singletons, one per account and region: the account-level S3 public access block now;
 * threat detection, audit trail and alerting join it as their issues land.
 */
export class BaselineStack extends BlueprintStack {
  constructor(scope: Construct, id: string, props: BlueprintStackProps) {
    super(scope, id, props);
    new S3AccountPublicAccessBlock(this, "AccountPublicAccessBlock", {
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
  }
}
