import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { createTestDatabase, type TestDatabase } from "@redial/db/testing";
import { freePort, waitFor } from "@redial/testing";
import { afterAll, describe, expect, it } from "vitest";

/**
 * No Docker engine runs here, so the image is proven by its contents: the Dockerfile's steps are
 * replayed into a temporary folder (its COPY lines, its `pnpm install … --prod`, the runtime
 * stage's COPY lines filtered by .dockerignore), and the processes are started from that folder
 * with plain `node` as the unprivileged user `nobody`, as the image's CMDs start them.
 */
const ROOT = join(import.meta.dirname, "../../..");
const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8");
const [depsStage = "", runtimeStage = ""] = dockerfile.split(/\nFROM /).slice(1);

let folder: string | undefined;
let database: TestDatabase | undefined;
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await database?.drop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe("the container image's contents (Dockerfile replayed into a folder, no Docker engine here)", () => {
  it("holds no devDependency, and the api, the worker and the migrations start from it with node as a non-root user", async ({
    skip,
  }) => {
    if (process.getuid?.() !== 0) return skip("needs root to start the processes as the user nobody");
    if (!nobodyCanRun(process.execPath)) return skip(`the user nobody cannot run ${process.execPath}`);
    folder = mkdtempSync(join(tmpdir(), "redial-image-"));
    chmodSync(folder, 0o755);
    replayDependencyStage(folder);
    replayRuntimeCopies(folder);

    expect(devDependenciesIn(folder)).toEqual([]);

    database = await createTestDatabase();
    const migrate = runAsNobody(folder, ["apps/cli/src/main.ts", "migrate"], { DATABASE_URL: database.url });
    const [code] = (await once(migrate.process, "exit")) as [number | null];
    expect(code, migrate.output()).toBe(0);
    expect(migrate.output()).toContain("schema version");

    const [apiPort, workerPort] = [await freePort(), await freePort()];
    const api = runAsNobody(folder, ["apps/api/src/main.ts"], {
      DATABASE_URL: database.url,
      PORT: String(apiPort),
      HOST: "127.0.0.1",
      API_KEYS: "image-test-api-key",
      BLAND_WEBHOOK_SECRET: "image-test-secret",
    });
    const worker = runAsNobody(folder, ["apps/worker/src/main.ts"], {
      DATABASE_URL: database.url,
      PUBLIC_URL: `http://127.0.0.1:${apiPort}`,
      BLAND_API_URL: "http://127.0.0.1:9",
      BLAND_API_KEY: "image-test-bland-key",
      BLAND_TASK: "image test",
      CONVOSO_SYNC_ENABLED: "false",
      WORKER_HEALTH_PORT: String(workerPort),
      WORKER_HEALTH_HOST: "127.0.0.1",
    });
    for (const url of [
      `http://127.0.0.1:${apiPort}/healthz`,
      `http://127.0.0.1:${apiPort}/readyz`,
      `http://127.0.0.1:${workerPort}/healthz`,
      `http://127.0.0.1:${workerPort}/readyz`,
    ])
      await waitFor(async () => (await fetch(url)).status === 200, url, 60_000, {
        explain: async () => `api: ${api.output()}\nworker: ${worker.output()}`,
      });
    expect(processUser(api.process.pid)).toBe(uidOf("nobody"));

    for (const { process: child } of [api, worker]) {
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      expect(((await exited) as [number | null])[0]).toBe(0);
    }
  }, 240_000);
});

/** The dependency stage: its COPY lines (paths of the build context) and its `pnpm install`. */
function replayDependencyStage(target: string): void {
  for (const line of depsStage.split("\n").filter((l) => l.startsWith("COPY "))) {
    const parts = line.split(/\s+/).slice(1);
    const destination = join(target, parts.pop() ?? "");
    for (const source of parts) {
      const into =
        destination.endsWith("/") || parts.length > 1
          ? join(destination, source.split("/").pop() ?? "")
          : destination;
      mkdirSync(dirname(into), { recursive: true });
      cpSync(join(ROOT, source), into);
    }
  }
  const install = /\nRUN (pnpm install [^\n]+)/.exec(depsStage)?.[1];
  if (!install) throw new Error("The Dockerfile's dependency stage has no `RUN pnpm install …` line");
  // A clean environment: pnpm passes npm_config_* variables to the test run that would change the install.
  execFileSync("sh", ["-c", install], {
    cwd: target,
    stdio: "pipe",
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", CI: "true" },
  });
}

/** The runtime stage's `COPY <folder> ./<folder>` lines, without what .dockerignore leaves out. */
function replayRuntimeCopies(target: string): void {
  const ignored = dockerIgnore();
  for (const [, source] of runtimeStage.matchAll(/\nCOPY (\w[\w/-]*) \.\/\w[\w/-]*/g)) {
    cpSync(join(ROOT, source ?? ""), join(target, source ?? ""), {
      recursive: true,
      filter: (path) => !ignored(relative(ROOT, path)),
    });
  }
  execFileSync("chmod", ["-R", "a+rX", target]);
}

/** .dockerignore's patterns as this repository writes them: `**\/name`, a top-level path, `*` in a name, `!` exceptions. */
function dockerIgnore(): (path: string) => boolean {
  const lines = readFileSync(join(ROOT, ".dockerignore"), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const toRegex = (pattern: string) =>
    new RegExp(
      `^${pattern.startsWith("**/") ? "(?:.*/)?" : ""}${pattern
        .replace(/^\*\*\//, "")
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, "[^/]*")}(?:/.*)?$`,
    );
  const rules = lines.map((l) => ({ negated: l.startsWith("!"), regex: toRegex(l.replace(/^!/, "")) }));
  return (path) => rules.reduce((ignored, rule) => (rule.regex.test(path) ? !rule.negated : ignored), false);
}

/**
 * The workspace's devDependencies (those no workspace package also lists as a dependency) found in
 * `folder`: linked as a direct dependency of the root or of a workspace package, or installed in
 * pnpm's store folder with no installed package depending on it (a production dependency may
 * itself depend on one, as @fastify/swagger on yaml: that copy belongs in the image).
 */
function devDependenciesIn(folder: string): string[] {
  const workspaces = [
    "",
    ...["apps", "packages"].flatMap((group) =>
      readdirSync(join(ROOT, group)).map((name) => join(group, name)),
    ),
  ].filter((path) => existsSync(join(ROOT, path, "package.json")));
  const manifests = workspaces.map(
    (path) =>
      JSON.parse(readFileSync(join(ROOT, path, "package.json"), "utf8")) as Record<
        string,
        Record<string, string>
      >,
  );
  const production = new Set(manifests.flatMap((m) => Object.keys(m.dependencies ?? {})));
  const devOnly = [...new Set(manifests.flatMap((m) => Object.keys(m.devDependencies ?? {})))].filter(
    (name) => !production.has(name),
  );
  const linked = devOnly.filter((name) =>
    workspaces.some((path) => existsSync(join(folder, path, "node_modules", name))),
  );
  const store = join(folder, "node_modules/.pnpm");
  const entries = readdirSync(store).filter((entry) => entry !== "node_modules" && !entry.includes(".yaml"));
  const stray = devOnly.filter((name) => {
    const own = entries.filter((entry) => entry.startsWith(`${name.replace("/", "+")}@`));
    if (own.length === 0) return false;
    const dependedOn = entries.some(
      (entry) => !own.includes(entry) && existsSync(join(store, entry, "node_modules", name)),
    );
    return !dependedOn;
  });
  return [...new Set([...linked, ...stray])];
}

function runAsNobody(
  cwd: string,
  args: string[],
  env: Record<string, string>,
): { process: ChildProcess; output: () => string } {
  let text = "";
  const child = spawn(
    "setpriv",
    ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--", process.execPath, ...args],
    {
      cwd,
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", LOG_LEVEL: "warn", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const keep = (chunk: Buffer) => {
    text += chunk.toString();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  children.push(child);
  return { process: child, output: () => text };
}

function nobodyCanRun(node: string): boolean {
  try {
    execFileSync("setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--", node, "--version"]);
    return true;
  } catch {
    return false;
  }
}

function processUser(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/\nUid:\s+(\d+)/.exec(status)?.[1]);
}

function uidOf(user: string): number {
  return Number(execFileSync("id", ["-u", user]).toString().trim());
}
