import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { Lazy } from "cdktf";
import { Construct } from "constructs";
import { type PrincipalLike, principalArn } from "../core/principal";
import { ValidationError } from "../core/validation";
import type { PolicyDocument } from "../identity/policy-document";
import { type CustomerKeyProps, customerKeyBase, delegationToRoles, KEY_POLICY_RESOURCE_REASON } from "./key-policy";

/** Asymmetric key specs a {@link SigningKey} may use, with the one signing algorithm each is used with. */
export const SIGNING_KEY_SPECS = {
  ECC_NIST_P256: "ECDSA_SHA_256",
  ECC_NIST_P384: "ECDSA_SHA_384",
  RSA_3072: "RSASSA_PSS_SHA_256",
  RSA_4096: "RSASSA_PSS_SHA_384",
} as const;

/** An asymmetric key spec for signing. */
export type SigningKeySpec = keyof typeof SIGNING_KEY_SPECS;

/** A signing algorithm of a {@link SigningKey}: the one its key spec is used with. */
export type SigningAlgorithm = (typeof SIGNING_KEY_SPECS)[SigningKeySpec];

/** Properties of a {@link SigningKey}. */
export interface SigningKeyProps extends CustomerKeyProps {
  /**
   * The key pair's spec: `ECC_NIST_P256` (ECDSA with SHA-256, what cosign and most verifiers expect),
   * `ECC_NIST_P384`, `RSA_3072` or `RSA_4096`. Default: `ECC_NIST_P256`.
   */
  readonly keySpec?: SigningKeySpec;
}

/**
 * An asymmetric KMS key (`SIGN_VERIFY`) for signing artifacts such as model files: the private key never leaves KMS.
 * Its key policy, like {@link KmsKey}'s, delegates nothing to IAM: administrators administer, signers (`grantSign`)
 * may sign and read the public key, verifiers (`grantVerify`) may verify and read the public key, and nobody else
 * may use it. Signing is limited to the one algorithm of the key spec. AWS does not rotate asymmetric keys: rotate
 * by creating a new key and re-signing, which is why signatures should name the key they were made with.
 */
export class SigningKey extends Construct {
  /** The underlying `aws_kms_key`. */
  public readonly resource: KmsKeyResource;
  /** The full alias name, `alias/<alias>`. */
  public readonly aliasName: string;
  /** The key pair's spec. */
  public readonly keySpec: SigningKeySpec;
  /** The signing algorithm signers and verifiers use (`kms:SigningAlgorithm`). */
  public readonly signingAlgorithm: SigningAlgorithm;

  private readonly policy: PolicyDocument;
  private readonly signers = new Set<string>();
  private readonly verifiers = new Set<string>();
  private readonly delegations: ReturnType<typeof delegationToRoles>[] = [];

  constructor(scope: Construct, id: string, props: SigningKeyProps) {
    super(scope, id);
    const keySpec = props.keySpec ?? "ECC_NIST_P256";
    if (!Object.hasOwn(SIGNING_KEY_SPECS, keySpec)) {
      throw new ValidationError(
        this.node.path,
        "keySpec",
        keySpec,
        `allowed: ${Object.keys(SIGNING_KEY_SPECS).join(", ")}`,
      );
    }
    const base = customerKeyBase(this, props);
    this.policy = base.policy;
    this.keySpec = keySpec;
    this.signingAlgorithm = SIGNING_KEY_SPECS[keySpec];
    this.aliasName = base.aliasName;
    this.resource = new KmsKeyResource(this, "Key", {
      region: props.region,
      description: base.description,
      keyUsage: "SIGN_VERIFY",
      customerMasterKeySpec: keySpec,
      isEnabled: true,
      // KMS rotates symmetric keys only; an asymmetric key is rotated by replacing it.
      enableKeyRotation: false,
      deletionWindowInDays: base.deletionWindowInDays,
      multiRegion: false,
      bypassPolicyLockoutSafetyCheck: false,
      policy: Lazy.stringValue({ produce: () => this.render() }),
      tags: { Name: props.alias },
      lifecycle: { preventDestroy: true },
    });
    new KmsAlias(this, "Alias", { region: props.region, name: this.aliasName, targetKeyId: this.resource.keyId });
  }

  /** The key's ARN. */
  public get arn(): string {
    return this.resource.arn;
  }

  /** Lets a principal sign with the key (its one algorithm) and read the public key. */
  public grantSign(principal: PrincipalLike): void {
    this.signers.add(principalArn(principal));
  }

  /** Lets a principal verify signatures with the key and read the public key (to verify offline). */
  public grantVerify(principal: PrincipalLike): void {
    this.verifiers.add(principalArn(principal));
  }

  /**
   * Lets this account's roles whose names start with `roleNamePrefix` verify signatures and read the public key, if
   * and only if their own IAM policies also allow it (the key policy delegates to IAM for that family of roles alone).
   */
  public delegateVerify(roleNamePrefix: string): void {
    this.delegations.push(delegationToRoles(this, "roleNamePrefix", roleNamePrefix));
  }

  private render(): string {
    // Rendered afresh on every resolution: the grants may change until synth, and a stack is resolved more than once.
    const policy = this.policy.copy();
    const use = (sid: string, who: Set<string>, action: string) => {
      if (who.size === 0) return;
      policy.addStatement({
        sid,
        principals: { aws: [...who] },
        actions: [action],
        resources: ["*"],
        wildcardResourceReason: KEY_POLICY_RESOURCE_REASON,
        conditions: { StringEquals: { "kms:SigningAlgorithm": this.signingAlgorithm } },
      });
    };
    use("Sign", this.signers, "kms:Sign");
    use("Verify", this.verifiers, "kms:Verify");
    const readers = new Set([...this.signers, ...this.verifiers]);
    if (readers.size > 0) {
      policy.addStatement({
        sid: "ReadPublicKey",
        principals: { aws: [...readers] },
        actions: ["kms:GetPublicKey", "kms:DescribeKey"],
        resources: ["*"],
        wildcardResourceReason: KEY_POLICY_RESOURCE_REASON,
      });
    }
    this.delegations.forEach(({ principal, condition }, i) => {
      policy.addStatement({
        sid: `DelegatedVerify${i + 1}`,
        principals: { aws: [principal] },
        actions: ["kms:Verify"],
        resources: ["*"],
        wildcardResourceReason: KEY_POLICY_RESOURCE_REASON,
        conditions: { ...condition, StringEquals: { "kms:SigningAlgorithm": this.signingAlgorithm } },
      });
      policy.addStatement({
        sid: `DelegatedPublicKey${i + 1}`,
        principals: { aws: [principal] },
        actions: ["kms:GetPublicKey", "kms:DescribeKey"],
        resources: ["*"],
        wildcardResourceReason: KEY_POLICY_RESOURCE_REASON,
        conditions: condition,
      });
    });
    return policy.toJson();
  }
}
