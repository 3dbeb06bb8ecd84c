/** Transpile-only: @swc/jest strips types; `tsc --noEmit` type-checks once, outside jest. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": [
      "@swc/jest",
      { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } },
    ],
  },
  moduleFileExtensions: ["ts", "js", "json"],
  // Jest's default is one worker fewer than the cores: on a 2-core machine, a single worker and an idle core. The
  // parent process only schedules and reports, so every core gets a worker.
  maxWorkers: "100%",
};
