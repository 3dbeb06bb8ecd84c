import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** This package's name, as published. */
export const PACKAGE_NAME = "secure-model-deployment-blueprint";

/** A `major.minor.patch` version, and a prerelease tag when it has one. */
interface Version {
  readonly parts: readonly [number, number, number];
  readonly prerelease: boolean;
}

function parseVersion(text: string): Version | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.exec(text.trim());
  if (!match) return undefined;
  return { parts: [Number(match[1]), Number(match[2]), Number(match[3])], prerelease: match[4] !== undefined };
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i += 1) if (a.parts[i] !== b.parts[i]) return a.parts[i] - b.parts[i];
  return (a.prerelease ? -1 : 0) - (b.prerelease ? -1 : 0);
}

/**
 * Whether a version lies in a peer range of the one form this package declares: comparators `>=x.y.z` and `<x.y.z`
 * joined by spaces (`>=0.21.0 <0.22.0`). A prerelease never satisfies it. Any other form is an error, not a guess.
 */
export function satisfies(version: string, range: string): boolean {
  const v = parseVersion(version);
  if (!v || v.prerelease) return false;
  return range
    .trim()
    .split(/\s+/)
    .every((comparator) => {
      const match = /^(>=|<)(.+)$/.exec(comparator);
      const bound = match ? parseVersion(match[2]) : undefined;
      if (!match || !bound) throw new Error(`unsupported version range ${JSON.stringify(range)}`);
      return match[1] === ">=" ? compare(v, bound) >= 0 : compare(v, bound) < 0;
    });
}

/** The package.json of this package: the nearest one above this file that carries its name. */
function ownManifest(): { version: string; peerDependencies: Record<string, string> } {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const path = join(dir, "package.json");
    if (existsSync(path)) {
      const manifest = JSON.parse(readFileSync(path, "utf8"));
      if (manifest.name === PACKAGE_NAME) return manifest;
    }
    if (dirname(dir) === dir) throw new Error(`${PACKAGE_NAME}: cannot find its own package.json above ${__dirname}`);
  }
}

/** The version of a package as this package resolves it, or undefined when it is not installed. */
function installedVersion(name: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")) as { version: string }).version;
  } catch {
    return undefined;
  }
}

/**
 * The peer dependencies that are missing or outside the ranges this package declares (and its tests prove), each
 * as a sentence; empty when all is well.
 */
export function peerProblems(resolve: (name: string) => string | undefined = installedVersion): string[] {
  const { version, peerDependencies } = ownManifest();
  return Object.entries(peerDependencies).flatMap(([name, range]) => {
    const found = resolve(name);
    if (found === undefined) return [`${name} is not installed (needs ${range}): npm install ${name}`];
    if (satisfies(found, range)) return [];
    return [`${name} ${found} is installed, and ${PACKAGE_NAME} ${version} works with ${range} only`];
  });
}

/**
 * Stops the load of the library with one clear error when a peer dependency is missing or of a version the library
 * was not tested with (an app on cdktf 0.20, say), instead of a crash deep inside synth. Each entry point calls it
 * before it loads cdktf.
 */
export function assertPeerVersions(): void {
  const problems = peerProblems();
  if (problems.length === 0) return;
  throw new Error(
    `${PACKAGE_NAME} cannot run with these dependencies:\n  - ${problems.join("\n  - ")}\nInstall versions in the ranges of its peerDependencies (npm reports them too, unless peer checks are turned off).`,
  );
}
