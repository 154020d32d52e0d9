import { join } from "node:path";
import { migrate, type RunningPostgres, startEmbeddedPostgres } from "@redial/db";
import { adminQuery, withDatabase } from "@redial/db/testing";
import { prepareQueues } from "@redial/jobs";
import type { TestProject } from "vitest/node";

const REPO_ROOT = join(import.meta.dirname, "../../..");

/**
 * Vitest global setup: find a PostgreSQL server (TEST_DATABASE_URL, else testcontainers when
 * TEST_DB=container, else an embedded server under .data/), build one migrated template database
 * (our migrations + pg-boss's schema), and hand both names to the test files.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await findServer();
  const template = `redial_template_${process.pid}`;
  await adminQuery(server.url, `DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
  await adminQuery(server.url, `CREATE DATABASE ${template}`);
  const templateUrl = withDatabase(server.url, template);
  await migrate(templateUrl);
  await prepareQueues(templateUrl);
  project.provide("testServerUrl", server.url);
  project.provide("testTemplateDb", template);
  return async () => {
    await adminQuery(server.url, `DROP DATABASE IF EXISTS ${template} WITH (FORCE)`).catch(() => undefined);
    await server.stop();
  };
}

async function findServer(): Promise<RunningPostgres> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) return { url, stop: async () => undefined };
  if (process.env.TEST_DB === "container") return startContainer();
  // A server another test run already started is shared (and left running).
  return startEmbeddedPostgres({ dataDir: join(REPO_ROOT, ".data/test-postgres/data"), port: 54329 });
}

async function startContainer(): Promise<RunningPostgres> {
  const { PostgreSqlContainer } = await import("@testcontainers/postgresql");
  const container = await new PostgreSqlContainer("postgres:17-alpine").start();
  const url = withDatabase(container.getConnectionUri(), "postgres");
  return { url, stop: async () => void (await container.stop()) };
}
