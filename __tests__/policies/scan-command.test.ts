import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCommand } from "../../policies/scan-command";

/** The package's command, called in-process: what it says, and its exit code. */
async function command(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCommand(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("npx secure-model-deployment-blueprint", () => {
  it("prints its usage on --help, and exits 0", async () => {
    for (const argv of [["--help"], ["scan", "--help"]]) {
      const result = await command(...argv);
      expect(result).toEqual({
        code: 0,
        out: expect.stringContaining("usage: secure-model-deployment-blueprint scan"),
        err: "",
      });
    }
  });

  it("refuses an unknown command or option with its usage, and exits 2", async () => {
    expect(await command()).toEqual(
      expect.objectContaining({ code: 2, err: expect.stringMatching(/^no command given\nusage:/) }),
    );
    expect(await command("lint")).toEqual(
      expect.objectContaining({ code: 2, err: expect.stringMatching(/^unknown command "lint"/) }),
    );
    expect(await command("scan", "--outdir")).toEqual(
      expect.objectContaining({ code: 2, err: expect.stringMatching(/^unknown or incomplete option "--outdir"/) }),
    );
    expect(await command("scan", "--force")).toEqual(
      expect.objectContaining({ code: 2, err: expect.stringMatching(/^unknown or incomplete option "--force"/) }),
    );
  });

  it("says what to do when there is nothing synthesized, and exits 2 before installing anything", async () => {
    const empty = mkdtempSync(join(tmpdir(), "scan-command-"));
    const result = await command("scan", "--outdir", empty, "--venv", join(empty, "venv"));
    expect(result).toEqual({
      code: 2,
      out: "",
      err: `${join(empty, "manifest.json")} is missing: synthesize the app first (cdktf synth)`,
    });
  });
});
