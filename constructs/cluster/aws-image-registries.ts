import { ValidationError } from "../core/validation";

/**
 * The AWS accounts whose ECR registries serve the images of the EKS add-ons (VPC CNI, CoreDNS, kube-proxy, the Pod
 * Identity agent, the pause image) and, from agent 1.8 on, GuardDuty's EKS runtime agent, by region. From the EKS
 * User Guide, "View Amazon container image registries for Amazon EKS add-ons".
 */
export const EKS_ADDON_REGISTRY_ACCOUNTS: Readonly<Record<string, string>> = {
  "af-south-1": "877085696533",
  "ap-east-1": "800184023465",
  "ap-east-2": "533267051163",
  "ap-northeast-1": "602401143452",
  "ap-northeast-2": "602401143452",
  "ap-northeast-3": "602401143452",
  "ap-south-1": "602401143452",
  "ap-south-2": "900889452093",
  "ap-southeast-1": "602401143452",
  "ap-southeast-2": "602401143452",
  "ap-southeast-3": "296578399912",
  "ap-southeast-4": "491585149902",
  "ap-southeast-5": "151610086707",
  "ap-southeast-6": "333609536671",
  "ap-southeast-7": "121268973566",
  "ca-central-1": "602401143452",
  "ca-west-1": "761377655185",
  "cn-north-1": "918309763551",
  "cn-northwest-1": "961992271922",
  "eu-central-1": "602401143452",
  "eu-central-2": "900612956339",
  "eu-north-1": "602401143452",
  "eu-south-1": "590381155156",
  "eu-south-2": "455263428931",
  "eu-west-1": "602401143452",
  "eu-west-2": "602401143452",
  "eu-west-3": "602401143452",
  "il-central-1": "066635153087",
  "me-central-1": "759879836304",
  "me-south-1": "558608220178",
  "mx-central-1": "730335286997",
  "sa-east-1": "602401143452",
  "us-east-1": "602401143452",
  "us-east-2": "602401143452",
  "us-gov-east-1": "151742754352",
  "us-gov-west-1": "013241004608",
  "us-west-1": "602401143452",
  "us-west-2": "602401143452",
};

/**
 * GuardDuty's own registries, which still serve older EKS runtime agents (1.8.1-eks-build.1 and earlier), by region.
 * From the GuardDuty User Guide, "Amazon ECR repository hosting GuardDuty agent".
 */
export const GUARDDUTY_AGENT_REGISTRY_ACCOUNTS: Readonly<Record<string, string>> = {
  "af-south-1": "379032919888",
  "ap-east-1": "790429075973",
  "ap-northeast-1": "781592569369",
  "ap-northeast-2": "732248494576",
  "ap-northeast-3": "810724417379",
  "ap-south-1": "610108029387",
  "ap-south-2": "618745550137",
  "ap-southeast-1": "584580519942",
  "ap-southeast-2": "011662287384",
  "ap-southeast-3": "617474730032",
  "ap-southeast-4": "750462861327",
  "ca-central-1": "001188825231",
  "eu-central-1": "409493279830",
  "eu-central-2": "718440343717",
  "eu-north-1": "366771026645",
  "eu-south-1": "528450769569",
  "eu-south-2": "531047660167",
  "eu-west-1": "673884943994",
  "eu-west-2": "109118265657",
  "eu-west-3": "113643092156",
  "il-central-1": "292660727137",
  "me-central-1": "601769779514",
  "me-south-1": "541829937850",
  "sa-east-1": "941219317354",
  "us-east-1": "031903291036",
  "us-east-2": "591382732059",
  "us-west-1": "373421517865",
  "us-west-2": "039403964562",
};

/** The repositories of the EKS add-on registry that nodes pull from: the CNI's three images and everything under `eks/`. */
const ADDON_REPOSITORIES = [
  "amazon-k8s-cni",
  "amazon-k8s-cni-init",
  "amazon/aws-network-policy-agent",
  "eks/*",
  "aws-guardduty-agent",
];

/**
 * The ARNs of the AWS-owned repositories a node must pull from for the cluster's add-ons and GuardDuty's agent, in
 * the region: named repositories, not whole registries. Throws for a region whose registries the blueprint does not
 * know, rather than letting nodes pull from anywhere.
 */
export function addonRegistryRepositoryArns(where: string, partition: string, region: string): string[] {
  const account = EKS_ADDON_REGISTRY_ACCOUNTS[region];
  if (account === undefined) {
    throw new ValidationError(
      where,
      "region",
      region,
      `allowed: a region whose EKS add-on registry the blueprint knows (${Object.keys(EKS_ADDON_REGISTRY_ACCOUNTS).join(", ")}); add the region's account to EKS_ADDON_REGISTRY_ACCOUNTS`,
    );
  }
  const arns = ADDON_REPOSITORIES.map(
    (repository) => `arn:${partition}:ecr:${region}:${account}:repository/${repository}`,
  );
  const guardDuty = GUARDDUTY_AGENT_REGISTRY_ACCOUNTS[region];
  if (guardDuty !== undefined) arns.push(`arn:${partition}:ecr:${region}:${guardDuty}:repository/aws-guardduty-agent`);
  return arns;
}
