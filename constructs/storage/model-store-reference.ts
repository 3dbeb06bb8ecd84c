import { DataAwsKmsAlias } from "@cdktf/provider-aws/lib/data-aws-kms-alias";
import { Construct } from "constructs";
import { AwsContext } from "../core/aws-context";
import { type Grantable, isGrantable, type PrincipalLike, principalArn } from "../core/principal";
import { checkLowercaseName, ValidationError } from "../core/validation";
import { SIGNING_KEY_SPECS, type SigningAlgorithm } from "../keys/signing-key";
import { checkModelPrefix, modelSigningKeyAlias } from "./model-store";
import { checkBucketName, OBJECT_READ_ACTIONS, objectGrantStatements } from "./secure-bucket";

/** Properties of a {@link ModelStoreReference}. */
export interface ModelStoreReferenceProps {
  /** The store's name, as its platform stack gave it (`ModelStore`'s `name`): its keys are `alias/<name>` and `alias/<name>-signing`. */
  readonly name: string;
  /** The store's bucket. */
  readonly bucketName: string;
  /** The signing algorithm of the store's signing key, which verifications must name. Default: `ECDSA_SHA_256` (the default key spec's). */
  readonly signingAlgorithm?: SigningAlgorithm;
}

/**
 * A model store that another stack made (the platform's), looked up by name: its bucket and, through their aliases,
 * its encryption and signing keys. For an app team's stack that serves a model from the shared store.
 *
 * {@link ModelStoreReference.grantRead} writes the reader's side only: the role's own policy may read one prefix, decrypt via S3 for this
 * bucket and verify signatures. The store's side is the platform's: its key policies must delegate reads to the
 * role's name prefix (`ModelStore`'s `delegatedReaderRolePrefix`), and its bucket policy still admits reads only
 * through the VPC's S3 endpoint.
 */
export class ModelStoreReference extends Construct {
  /** The bucket's name. */
  public readonly bucketName: string;
  /** The bucket's ARN. */
  public readonly arn: string;
  /** The ARN of the key the models are encrypted under (looked up by its alias). */
  public readonly keyArn: string;
  /** The ARN of the key the models are signed with (looked up by its alias). */
  public readonly signingKeyArn: string;
  /** The signing key's alias, `alias/<name>-signing`: what an `InferenceService`'s `verification.signingKey` names. */
  public readonly signingKeyAlias: string;
  /** The algorithm signatures are made and verified with. */
  public readonly signingAlgorithm: SigningAlgorithm;

  private grantCount = 0;

  constructor(scope: Construct, id: string, props: ModelStoreReferenceProps) {
    super(scope, id);
    const where = this.node.path;
    checkLowercaseName(where, "name", props.name, 40);
    checkBucketName(where, "bucketName", props.bucketName);
    const algorithms: readonly SigningAlgorithm[] = [...new Set(Object.values(SIGNING_KEY_SPECS))];
    const signingAlgorithm = props.signingAlgorithm ?? SIGNING_KEY_SPECS.ECC_NIST_P256;
    if (!algorithms.includes(signingAlgorithm)) {
      throw new ValidationError(where, "signingAlgorithm", signingAlgorithm, `allowed: ${algorithms.join(", ")}`);
    }
    const context = AwsContext.of(this);
    this.bucketName = props.bucketName;
    this.arn = `arn:${context.partition}:s3:::${props.bucketName}`;
    this.signingAlgorithm = signingAlgorithm;
    this.keyArn = new DataAwsKmsAlias(this, "Key", { name: `alias/${props.name}` }).targetKeyArn;
    this.signingKeyAlias = modelSigningKeyAlias(props.name);
    this.signingKeyArn = new DataAwsKmsAlias(this, "SigningKey", { name: this.signingKeyAlias }).targetKeyArn;
  }

  /**
   * Lets a role read the models under a prefix, in its own policy: `s3:GetObject` and `s3:GetObjectVersion` there,
   * `s3:ListBucket` for that prefix only, `kms:Decrypt` with the store's key only via S3 in this region and only for
   * this bucket, and `kms:Verify` (with the store's algorithm) and the public key of the signing key.
   * @param prefix - e.g. `models/churn/`; never `""` here: a team reads its own models, not the whole store
   */
  public grantRead(grantee: PrincipalLike | Grantable, prefix: string): void {
    const where = this.node.path;
    if (!isGrantable(grantee)) {
      throw new ValidationError(
        where,
        "grantee",
        principalArn(grantee),
        "allowed: a Grantable role of this stack (a WorkloadRole): the store's own policies belong to the stack that made it",
      );
    }
    checkModelPrefix(where, "prefix", prefix);
    if (prefix === "") {
      throw new ValidationError(
        where,
        "prefix",
        prefix,
        'allowed: the prefix of the team\'s own models, e.g. "models/churn/"',
      );
    }
    const context = AwsContext.of(this);
    this.grantCount += 1;
    const n = this.grantCount;
    for (const statement of objectGrantStatements(this.arn, "Read", n, OBJECT_READ_ACTIONS, prefix)) {
      grantee.addToPrincipalPolicy(statement);
    }
    grantee.addToPrincipalPolicy({
      sid: `DecryptModels${n}`,
      actions: ["kms:Decrypt"],
      resources: [this.keyArn],
      conditions: {
        StringEquals: {
          "kms:ViaService": `s3.${context.region}.amazonaws.com`,
          "kms:EncryptionContext:aws:s3:arn": this.arn,
        },
      },
    });
    grantee.addToPrincipalPolicy({
      sid: `VerifyModels${n}`,
      actions: ["kms:Verify"],
      resources: [this.signingKeyArn],
      conditions: { StringEquals: { "kms:SigningAlgorithm": this.signingAlgorithm } },
    });
    grantee.addToPrincipalPolicy({
      sid: `ReadSigningPublicKey${n}`,
      actions: ["kms:GetPublicKey", "kms:DescribeKey"],
      resources: [this.signingKeyArn],
    });
  }
}
