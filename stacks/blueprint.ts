import type { App } from "cdktf";
import { BaselineStack } from "./baseline-stack";
import { BootstrapStack } from "./bootstrap-stack";
import type { BackendMode } from "./blueprint-stack";
import type { EnvironmentConfig } from "./config";
import { PlatformStack } from "./platform-stack";
import { WorkloadsStack } from "./workloads-stack";

/** The stacks of one environment, in deploy order. */
export interface Blueprint {
  readonly bootstrap: BootstrapStack;
  readonly baseline: BaselineStack;
  readonly platform: PlatformStack;
  readonly workloads: WorkloadsStack;
}

/** Options for {@link buildBlueprint}. */
export interface BuildOptions {
  /** State backend for every stack. Default: `s3`. */
  readonly backend?: BackendMode;
}

/** Adds every stack of one environment to the app, with their deploy order. */
export function buildBlueprint(app: App, environment: EnvironmentConfig, options: BuildOptions = {}): Blueprint {
  const props = { environment, backend: options.backend };
  const bootstrap = new BootstrapStack(app, "bootstrap", props);
  const baseline = new BaselineStack(app, "baseline", props);
  baseline.addDependency(bootstrap);
  const platform = new PlatformStack(app, `platform-${environment.name}`, props);
  platform.addDependency(baseline);
  const workloads = new WorkloadsStack(app, `workloads-${environment.name}`, {
    ...props,
    clusterName: platform.cluster.clusterName,
  });
  workloads.addDependency(platform);
  return { bootstrap, baseline, platform, workloads };
}
