import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/** The repository's root. */
export const ROOT = resolve(__dirname, "..", "..");
/** Where the package tests build, install and synthesize (ignored by git). */
export const BUILD = join(ROOT, ".build");
export const PACKAGE_NAME = "secure-model-deployment-blueprint";
/** The peer dependencies an app installs beside the package. */
export const PEERS = ["cdktf", "constructs", "@cdktf/provider-aws", "@cdktf/provider-kubernetes"];

/** The files the tarball is made from: a change to any of them makes a new one. */
function packageInputs(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(join(ROOT, dir))) return;
    for (const name of readdirSync(join(ROOT, dir))) {
      const path = join(dir, name);
      if (name === "__pycache__") continue;
      if (statSync(join(ROOT, path)).isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk("constructs");
  walk("policies");
  walk("docs");
  const top = ["index.ts", "package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json"];
  return [...top, "scripts/build.ts", "README.md", "CHANGELOG.md", ...files].filter((f) => existsSync(join(ROOT, f)));
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Runs a command and throws with its output when it fails. */
export function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

/** Runs node with arguments and returns the whole result, whatever the exit code. */
export function node(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
}

/**
 * The package as `npm pack` makes it (its `prepack` builds `dist/` first), made once for the current sources: test
 * files running in parallel share it, and a rerun with unchanged sources reuses it.
 */
export function packedTarball(): string {
  const hash = createHash("sha256");
  for (const file of packageInputs()) hash.update(file).update(readFileSync(join(ROOT, file)));
  const dir = join(BUILD, `pack-${hash.digest("hex").slice(0, 16)}`);
  const done = join(dir, "tarball");
  const lock = `${dir}.lock`;
  mkdirSync(BUILD, { recursive: true });
  for (let waited = 0; !existsSync(done); waited += 200) {
    try {
      mkdirSync(lock);
    } catch {
      if (waited > 180_000) throw new Error(`waited 3 minutes for ${lock}: remove it if no test is running`);
      sleep(200);
      continue;
    }
    try {
      for (const old of readdirSync(BUILD).filter((n) => n.startsWith("pack-") && !n.endsWith(".lock"))) {
        rmSync(join(BUILD, old), { recursive: true, force: true });
      }
      mkdirSync(dir, { recursive: true });
      const packed = run("npm", ["pack", "--json", "--pack-destination", dir], ROOT);
      const [{ filename }] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("["))) as { filename: string }[];
      writeFileSync(done, join(dir, filename));
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return readFileSync(done, "utf8");
}

/** Unpacks the tarball into a folder, as npm lays out an installed package. */
export function unpack(tarball: string, into: string): void {
  rmSync(into, { recursive: true, force: true });
  mkdirSync(into, { recursive: true });
  run("tar", ["-xzf", tarball, "-C", into, "--strip-components=1"], ROOT);
}

/**
 * A fresh app folder under `.build/` (`npm init -y`) with the packed package installed in its `node_modules`. The peer
 * dependencies resolve from the project's own `node_modules` (the folder lies inside the repository), as the peer
 * ranges allow: one copy of cdktf and of the providers, nothing downloaded twice.
 */
export function freshApp(name: string): string {
  const dir = join(BUILD, "apps", name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  run("npm", ["init", "-y"], dir);
  unpack(packedTarball(), join(dir, "node_modules", PACKAGE_NAME));
  return dir;
}

/**
 * An app whose package was installed as a directory (`npm install ../blueprint`, `npm link`, a workspace): its
 * `node_modules/<package>` is a link to a folder that holds the built package and its own `node_modules`, with its own
 * physical copies of cdktf, constructs and the providers (hard links: other paths, so other modules to Node). The app
 * itself resolves the project's copies: two copies of cdktf in one process.
 */
export function directoryInstalledApp(name: string): string {
  const library = join(BUILD, "directories", `${name}-library`);
  unpack(packedTarball(), library);
  for (const peer of PEERS) {
    mkdirSync(dirname(join(library, "node_modules", peer)), { recursive: true });
    run("cp", ["-al", join(ROOT, "node_modules", peer), join(library, "node_modules", peer)], ROOT);
  }
  const dir = join(BUILD, "directories", name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  run("npm", ["init", "-y"], dir);
  symlinkSync(relative(join(dir, "node_modules"), library), join(dir, "node_modules", PACKAGE_NAME));
  return dir;
}

/** Copies an example into `.build/examples/<name>` and installs the packed package into it. */
export function installedExample(name: string): string {
  const dir = join(BUILD, "examples", name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(ROOT, "examples", name), dir, { recursive: true });
  unpack(packedTarball(), join(dir, "node_modules", PACKAGE_NAME));
  return dir;
}

/** The guardrails records of every stack an app synthesized into `outdir`, by stack. */
export function stackJsons(outdir: string): Record<string, Record<string, unknown>> {
  const stacks = join(outdir, "stacks");
  return Object.fromEntries(
    readdirSync(stacks).map((stack) => [
      stack,
      JSON.parse(readFileSync(join(stacks, stack, "cdk.tf.json"), "utf8")) as Record<string, unknown>,
    ]),
  );
}
