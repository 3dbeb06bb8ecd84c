import { AutoscalingAttachment } from "@cdktf/provider-aws/lib/autoscaling-attachment";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { Guardrails } from "../../policies/guardrails/guardrails";
import { AwsContext } from "../core/aws-context";
import { parseCidr } from "../core/cidr";
import { checkKubernetesName } from "../core/kubernetes-names";
import { checkIntegerInRange, checkLowercaseName, ValidationError } from "../core/validation";
import { NODE_PORT_RANGE } from "../kubernetes/inference-service";
import type { SecureBucket } from "../storage/secure-bucket";

/** One model's way in: a listener and a target group on its NodePort. */
export interface LoadBalancedModel {
  /** The model's name (a Kubernetes name): names its target group and listener. */
  readonly name: string;
  /** The NodePort its Service listens on: the target group's port, and the listener's. */
  readonly nodePort: number;
  /** The path the model server answers 200 on once ready (the health check). Default: `/ready`. */
  readonly healthCheckPath?: string;
}

/** Properties of an {@link InferenceLoadBalancer}. */
export interface InferenceLoadBalancerProps {
  /** The load balancer's name: lowercase letters, digits and hyphens, at most 32 characters. */
  readonly name: string;
  /** The VPC. */
  readonly vpcId: string;
  /** The VPC's CIDR: the only source the listeners admit (API Gateway's VPC link reaches them through PrivateLink). */
  readonly vpcCidr: string;
  /** The private subnets, one per zone. */
  readonly subnetIds: readonly string[];
  /** The security group of the nodes, which admits each NodePort from this load balancer's security group only. */
  readonly nodeSecurityGroupId: string;
  /** The Auto Scaling groups of the GPU nodes, which every target group is attached to. */
  readonly autoScalingGroupNames: readonly string[];
  /** The models, each on its own listener and target group. */
  readonly models: readonly LoadBalancedModel[];
  /** The log bucket (a `SecureBucket` made with `receivesAccessLogs`) the access logs go to. */
  readonly accessLogs: SecureBucket;
  /** Refuses deletion of the load balancer by any API call until it is turned off. Default: true. */
  readonly deletionProtection?: boolean;
}

/** What one model's path through the load balancer is made of. */
export interface ModelTarget {
  /** The model's TCP listener. */
  readonly listener: LbListener;
  /** The model's target group: the GPU nodes on its NodePort. */
  readonly targetGroup: LbTargetGroup;
  /** The listener's port (the model's NodePort). */
  readonly port: number;
}

/**
 * The private way from the API to the GPU nodes: an internal Network Load Balancer in the private subnets (deletion
 * protection, cross-zone, access logs to the log bucket, a security group of its own that admits the listeners'
 * ports from the VPC only and reaches the nodes on the NodePorts only), and per model a TCP listener and a target
 * group on the model's NodePort with an HTTP health check on its readiness path, attached to the GPU nodes' Auto Scaling
 * groups. The node security group gains one rule per NodePort, from this load balancer's security group only.
 *
 * Network Load Balancers write access logs for TLS listeners only; these listeners are TCP (API Gateway's VPC link
 * ends TLS), so the records of this hop are the VPC flow logs and API Gateway's access logs. The logs stay configured
 * so that a TLS listener added later is logged from its first request.
 */
export class InferenceLoadBalancer extends Construct {
  /** The `aws_lb`. */
  public readonly loadBalancer: Lb;
  /** The load balancer's security group. */
  public readonly securityGroup: SecurityGroup;
  /** Each model's listener and target group, by model name. */
  public readonly targets: Readonly<Record<string, ModelTarget>>;

  constructor(scope: Construct, id: string, props: InferenceLoadBalancerProps) {
    super(scope, id);
    const where = this.node.path;
    checkLowercaseName(where, "name", props.name, 32);
    if (!parseCidr(props.vpcCidr)) throw new ValidationError(where, "vpcCidr", props.vpcCidr, "allowed: an IPv4 CIDR");
    if (props.subnetIds.length < 2) {
      throw new ValidationError(
        where,
        "subnetIds",
        props.subnetIds,
        "allowed: a private subnet in each of 2 or more zones",
      );
    }
    if (props.autoScalingGroupNames.length === 0) {
      throw new ValidationError(
        where,
        "autoScalingGroupNames",
        props.autoScalingGroupNames,
        "allowed: the GPU nodes' Auto Scaling groups",
      );
    }
    if (props.models.length === 0)
      throw new ValidationError(where, "models", props.models, "allowed: at least one model");
    const ports = new Set<number>();
    props.models.forEach((model, i) => {
      checkKubernetesName(where, `models[${i}].name`, model.name);
      checkIntegerInRange(where, `models[${i}].nodePort`, model.nodePort, NODE_PORT_RANGE.min, NODE_PORT_RANGE.max);
      if (ports.has(model.nodePort)) {
        throw new ValidationError(
          where,
          `models[${i}].nodePort`,
          model.nodePort,
          "allowed: a NodePort no other model uses",
        );
      }
      ports.add(model.nodePort);
      if (model.healthCheckPath !== undefined && !/^\/[\w./-]*$/.test(model.healthCheckPath)) {
        throw new ValidationError(
          where,
          `models[${i}].healthCheckPath`,
          model.healthCheckPath,
          "allowed: an absolute URL path",
        );
      }
    });
    const context = AwsContext.of(this);

    this.securityGroup = new SecurityGroup(this, "SecurityGroup", {
      name: `${props.name}-nlb`,
      description: `Internal load balancer ${props.name}: model listeners from the VPC, NodePorts to the GPU nodes`,
      vpcId: props.vpcId,
      tags: { Name: `${props.name}-nlb` },
      lifecycle: { createBeforeDestroy: true },
    });
    const logPrefix = `load-balancers/${props.name}`;
    this.loadBalancer = new Lb(this, "LoadBalancer", {
      name: props.name,
      loadBalancerType: "network",
      internal: true,
      subnets: [...props.subnetIds],
      securityGroups: [this.securityGroup.id],
      // API Gateway's VPC link reaches the listeners through PrivateLink: its traffic meets the inbound rules too.
      enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: "on",
      enableCrossZoneLoadBalancing: true,
      enableDeletionProtection: props.deletionProtection ?? true,
      accessLogs: { bucket: props.accessLogs.bucketName, prefix: logPrefix, enabled: true },
      dependsOn: [props.accessLogs.policyResource],
      tags: { Name: props.name },
    });
    // Network Load Balancers deliver access logs through the log delivery service, for this account's balancers only.
    props.accessLogs.addToResourcePolicy({
      sid: `LoadBalancerLogDelivery${props.name.replaceAll("-", "")}`,
      principals: { service: ["delivery.logs.amazonaws.com"] },
      actions: ["s3:PutObject"],
      resources: [props.accessLogs.arnForObjects(`${logPrefix}/AWSLogs/${context.accountId}/`)],
      conditions: {
        StringEquals: { "aws:SourceAccount": context.accountId, "s3:x-amz-acl": "bucket-owner-full-control" },
        ArnLike: { "aws:SourceArn": `arn:${context.partition}:logs:${context.region}:${context.accountId}:*` },
      },
    });
    props.accessLogs.addToResourcePolicy({
      sid: `LoadBalancerLogAcl${props.name.replaceAll("-", "")}`,
      principals: { service: ["delivery.logs.amazonaws.com"] },
      actions: ["s3:GetBucketAcl"],
      resources: [props.accessLogs.arn],
      conditions: {
        StringEquals: { "aws:SourceAccount": context.accountId },
        ArnLike: { "aws:SourceArn": `arn:${context.partition}:logs:${context.region}:${context.accountId}:*` },
      },
    });

    const targets: Record<string, ModelTarget> = {};
    for (const model of props.models) {
      const port = model.nodePort;
      new VpcSecurityGroupIngressRule(this, `Listener-${model.name}`, {
        securityGroupId: this.securityGroup.id,
        description: `The model ${model.name}'s listener, from the VPC (API Gateway's VPC link)`,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        cidrIpv4: props.vpcCidr,
      });
      new VpcSecurityGroupEgressRule(this, `ToNodes-${model.name}`, {
        securityGroupId: this.securityGroup.id,
        description: `The model ${model.name}'s NodePort on the GPU nodes (traffic and health checks)`,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        referencedSecurityGroupId: props.nodeSecurityGroupId,
      });
      new VpcSecurityGroupIngressRule(this, `NodePort-${model.name}`, {
        securityGroupId: props.nodeSecurityGroupId,
        description: `The model ${model.name}'s NodePort, from the internal load balancer ${props.name} only`,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        referencedSecurityGroupId: this.securityGroup.id,
      });
      const targetGroup = new LbTargetGroup(this, `Target-${model.name}`, {
        name: `${props.name.slice(0, 26)}-${port}`,
        port,
        protocol: "TCP",
        targetType: "instance",
        vpcId: props.vpcId,
        deregistrationDelay: "30",
        connectionTermination: true,
        healthCheck: {
          enabled: true,
          protocol: "HTTP",
          path: model.healthCheckPath ?? "/ready",
          port: "traffic-port",
          matcher: "200",
          interval: 10,
          timeout: 5,
          healthyThreshold: 3,
          unhealthyThreshold: 3,
        },
        tags: { Name: `${props.name}-${model.name}`, Model: model.name },
        lifecycle: { createBeforeDestroy: true },
      });
      const listener = new LbListener(this, `Listener-${model.name}-Tcp`, {
        loadBalancerArn: this.loadBalancer.arn,
        port,
        protocol: "TCP",
        defaultAction: [{ type: "forward", targetGroupArn: targetGroup.arn }],
        tags: { Name: `${props.name}-${model.name}`, Model: model.name },
      });
      props.autoScalingGroupNames.forEach((group, i) => {
        const attachment = new AutoscalingAttachment(this, `Attach-${model.name}-${i}`, {
          autoscalingGroupName: group,
          lbTargetGroupArn: targetGroup.arn,
        });
        Guardrails.suppress(
          attachment,
          "CKV2_AWS_15",
          "EKS owns the managed node group's Auto Scaling group and its health check type, and repairs nodes itself; an ELB health check would replace every healthy node that runs no replica of this model (externalTrafficPolicy Local fails them on purpose)",
        );
      });
      targets[model.name] = { listener, targetGroup, port };
    }
    this.targets = targets;
  }

  /** The load balancer's ARN. */
  public get arn(): string {
    return this.loadBalancer.arn;
  }

  /** The load balancer's DNS name (what API Gateway's integrations address through the VPC link). */
  public get dnsName(): string {
    return this.loadBalancer.dnsName;
  }
}
