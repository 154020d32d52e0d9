import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = join(import.meta.dirname, "../../..");
// `merge: true`: Compose applies YAML merge keys (<<: *app) as YAML 1.1 did.
const compose = parse(readFileSync(join(root, "docker-compose.yml"), "utf8"), { merge: true }) as {
  services: Record<
    string,
    {
      command?: string[];
      healthcheck?: unknown;
      build?: { dockerfile: string };
      depends_on?: unknown;
      environment?: Record<string, string>;
    }
  >;
};
const scripts = (
  JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }
).scripts;

describe("docker-compose.yml (cannot run here: checked against the same commands the README runs)", () => {
  it("has postgres with a healthcheck, redis, migrate, api, a scalable worker and the simulator", () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      "api",
      "migrate",
      "postgres",
      "redis",
      "simulator",
      "worker",
    ]);
    expect(compose.services.postgres?.healthcheck).toBeDefined();
    // A scalable service must not pin a host port or a container name.
    expect(compose.services.worker).not.toHaveProperty("ports");
    expect(compose.services.worker).not.toHaveProperty("container_name");
  });

  it("starts every process through a root pnpm script that exists", () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (!service.command) continue;
      const [tool, script] = service.command;
      expect(tool, name).toBe("pnpm");
      expect(scripts[script ?? ""], `${name}: pnpm ${script}`).toBeDefined();
    }
  });

  it("builds from a Dockerfile that copies every workspace package manifest before installing", () => {
    const dockerfile = compose.services.api?.build?.dockerfile ?? "";
    expect(existsSync(join(root, dockerfile))).toBe(true);
    const text = readFileSync(join(root, dockerfile), "utf8");
    const manifests = ["apps", "packages"].flatMap((group) =>
      readdirSync(join(root, group), { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && existsSync(join(root, group, entry.name, "package.json")))
        .map((entry) => `${group}/${entry.name}/package.json`),
    );
    for (const manifest of manifests) expect(text, manifest).toContain(`COPY ${manifest}`);
    expect(text).toContain("pnpm install --frozen-lockfile");
    expect(text).toMatch(/FROM .* AS build/);
  });

  it("gives the api and worker every variable their config requires", () => {
    const env = compose.services.api?.environment ?? {};
    for (const name of ["DATABASE_URL", "API_KEYS", "BLAND_WEBHOOK_SECRET", "PUBLIC_URL", "BLAND_API_KEY"])
      expect(env, name).toHaveProperty(name);
  });
});
