import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

/**
 * No Docker engine runs here: the compose file and the Dockerfile are checked as text. `.ci/run`
 * also has Compose itself read the file (`docker compose config`) when a client can be installed;
 * container-image.test.ts starts the processes from the folder the image's install step builds.
 */
const root = join(import.meta.dirname, "../../..");
interface Service {
  command?: string[];
  healthcheck?: { test: string[] };
  build?: { dockerfile: string };
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
  ports?: string[];
  restart?: string;
  profiles?: string[];
  volumes?: string[];
}
// `merge: true`: Compose applies YAML merge keys (<<: *app) as YAML 1.1 did.
const compose = parse(readFileSync(join(root, "docker-compose.yml"), "utf8"), { merge: true }) as {
  services: Record<string, Service>;
};
const ours = ["api", "migrate", "simulator", "worker"];
const service = (name: string) => compose.services[name] as Service;
const dockerfile = readFileSync(join(root, "Dockerfile"), "utf8");

describe("docker-compose.yml", () => {
  it("has postgres, redis, the one-shot migrate, api, a scalable worker and the simulator", () => {
    const always = Object.entries(compose.services).filter(([, service]) => !service.profiles);
    expect(always.map(([name]) => name).sort()).toEqual([...ours, "postgres", "redis"].sort());
    // A scalable service must not pin a host port or a container name.
    expect(service("worker")).not.toHaveProperty("ports");
    expect(service("worker")).not.toHaveProperty("container_name");
  });

  it("starts each process with node and an entry point that exists (no pnpm in the container)", () => {
    for (const name of ours) {
      const [tool, entry] = service(name).command ?? [];
      expect(tool, name).toBe("node");
      expect(existsSync(join(root, entry ?? "")), `${name}: ${entry}`).toBe(true);
    }
  });

  it("restarts api, worker and simulator unless stopped; migrate runs once and api and worker wait for it to succeed", () => {
    for (const name of ["api", "worker", "simulator"])
      expect(service(name).restart, name).toBe("unless-stopped");
    expect(service("migrate").restart).toBe("no");
    for (const name of ["api", "worker"])
      expect(service(name).depends_on?.migrate, name).toEqual({
        condition: "service_completed_successfully",
      });
  });

  it("gives every long-running service a healthcheck, the simulator's and the worker's included", () => {
    for (const name of ["postgres", "redis", "api", "worker", "simulator"])
      expect(service(name).healthcheck?.test.length, name).toBeGreaterThan(0);
    expect(service("worker").healthcheck?.test.join(" ")).toContain(
      `:${service("worker").environment?.WORKER_HEALTH_PORT}/readyz`,
    );
  });

  it("publishes no PostgreSQL port on the host", () => {
    expect(service("postgres").ports).toBeUndefined();
  });

  it("gives the api and worker every variable their config requires", () => {
    const env = service("api").environment ?? {};
    for (const name of ["DATABASE_URL", "API_KEYS", "BLAND_WEBHOOK_SECRET", "PUBLIC_URL", "BLAND_API_KEY"])
      expect(env, name).toHaveProperty(name);
  });
});

describe("Dockerfile", () => {
  it("is built from the root Dockerfile the compose file names", () => {
    expect(service("api").build?.dockerfile).toBe("Dockerfile");
  });

  it("installs production dependencies only, in a stage of its own, from every workspace manifest", () => {
    expect(dockerfile).toContain("RUN pnpm install --frozen-lockfile --prod");
    const workspace = ["apps", "packages"].flatMap((group) =>
      readFileSync(join(root, "pnpm-lock.yaml"), "utf8")
        .split("\n")
        .filter((line) => line.startsWith(`  ${group}/`))
        // "  packages/x:", or "  packages/x: {}" for one without dependencies
        .map((line) => line.trim().replace(/:.*$/, "")),
    );
    expect(workspace.length).toBeGreaterThan(10);
    for (const folder of workspace)
      expect(dockerfile, folder).toContain(`COPY ${folder}/package.json ${folder}/`);
  });

  it("runs as a non-root user and starts node directly, with no pnpm in the runtime stage", () => {
    const runtime = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
    expect(runtime).toMatch(/\nUSER (?!root)\w+/);
    expect(runtime).toMatch(/\nCMD \["node", /);
    expect(runtime).not.toMatch(/\n(RUN|CMD|ENTRYPOINT).*pnpm/);
  });

  it("has a .dockerignore that keeps dependencies, databases, secrets and git out of the build context", () => {
    const ignored = readFileSync(join(root, ".dockerignore"), "utf8").split("\n");
    for (const entry of ["**/node_modules", ".data", ".env", ".git", "**/test", "coverage"])
      expect(ignored, entry).toContain(entry);
  });

  it("Prometheus and Grafana come with the opt-in monitoring profile, their files in the repository", () => {
    for (const name of ["prometheus", "grafana"]) {
      expect(service(name).profiles, name).toEqual(["monitoring"]);
      for (const volume of service(name).volumes ?? []) {
        const source = volume.split(":")[0] ?? "";
        if (source.startsWith("./")) expect(existsSync(join(root, source)), volume).toBe(true);
      }
    }
    expect(service("worker").environment?.WORKER_METRICS_PORT).toBe("9464");
    const prometheus = parse(readFileSync(join(root, "monitoring/prometheus.yml"), "utf8")) as {
      scrape_configs: { job_name: string; authorization?: { type: string } }[];
    };
    expect(prometheus.scrape_configs.map((job) => [job.job_name, job.authorization?.type])).toEqual([
      ["redial-api", "Bearer"],
      ["redial-worker", "Bearer"],
    ]);
  });

  it("the Grafana dashboard asks only for metrics the code defines", () => {
    const dashboard = JSON.parse(
      readFileSync(join(root, "monitoring/grafana/dashboards/redial.json"), "utf8"),
    ) as {
      panels: { targets: { expr: string }[] }[];
    };
    const source = ["fleet-gauges.ts", "http-metrics.ts", "worker-metrics.ts"]
      .map((file) => readFileSync(join(root, "packages/metrics/src", file), "utf8"))
      .join("\n");
    const names = dashboard.panels.flatMap((panel) =>
      panel.targets.flatMap((target) => target.expr.match(/redial_[a-z_]+/g) ?? []),
    );
    expect(names.length).toBeGreaterThan(10);
    for (const name of new Set(names))
      expect(source, name).toContain(`"${name.replace(/_(bucket|count|sum)$/, "")}"`);
  });
});
