import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { API_KEY, type Loop, startLoop } from "@redial/testing";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** Debian's chromium (`apt-get install -y chromium`; .ci/run installs it). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
/** Screenshots of each page land here (git-ignored). */
const OUTPUT = fileURLToPath(new URL("../test-output/dashboard/", import.meta.url));

if (!hasChromium)
  process.stderr.write(
    `dashboard browser test skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)\n`,
  );

describe.skipIf(!hasChromium)("the console in a real browser (Chromium, headless)", () => {
  let loop: Loop;
  let browser: Browser;
  let page: Page;
  const api = (method: "GET" | "POST", url: string, payload?: object) =>
    loop.api.inject({ method, url, headers: { "x-api-key": API_KEY }, ...(payload ? { payload } : {}) });
  const shot = (name: string) => page.screenshot({ path: join(OUTPUT, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    await mkdir(OUTPUT, { recursive: true });
    loop = await startLoop({
      simulator: { outcomeByPhone: { "+12125550702": "transferred", "+12125550701": "voicemail" } },
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    page = await (
      await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } })
    ).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await loop?.close();
  });

  it("log in, find a lead by another phone format, pause it, watch Today move after a call, download a CSV", async () => {
    // No dial until the browser has looked: the fleet is paused, two leads wait.
    expect((await api("POST", "/v1/admin/pause", { note: "browser test" })).json().workers_not_in_step).toBe(
      0,
    );
    const lead = (
      await api("POST", "/v1/leads", {
        phone: "(212) 555-0701",
        first_name: "Dana",
        last_name: "Whit",
        state: "NY",
      })
    ).json() as { id: number };
    await api("POST", "/v1/leads", {
      phone: "212-555-0702",
      first_name: "Eli",
      last_name: "Moss",
      state: "NY",
    });

    await page.goto(`${loop.apiUrl}/dashboard/leads`);
    expect(page.url()).toContain("/dashboard/login");
    await shot("login");
    await page.fill('input[name="api_key"]', API_KEY);
    await page.click('button[type="submit"]');
    await page.waitForURL("**/dashboard/leads");
    expect(await page.textContent('[data-testid="actor"]')).toBe("key-1");

    await page.fill('input[name="phone"]', "+1 212.555.0701");
    await page.click('form.search button[type="submit"]');
    const rows = page.locator('[data-testid="lead-results"] tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    await shot("leads");
    await rows.first().locator("a").first().click();
    await page.waitForURL(`**/dashboard/leads/${lead.id}`);
    expect(await page.textContent('[data-testid="lead-phone"]')).toBe("+12125550701");
    await page.click('[data-testid="pause"]');
    await page.waitForSelector('[data-testid="resume"]');
    expect(await page.textContent('[data-testid="lead-status"]')).toBe("paused");
    expect(await page.textContent('[data-testid="timeline"]')).toContain("lead.pause by key-1");
    await shot("lead");

    await page.goto(`${loop.apiUrl}/dashboard`);
    expect(await page.textContent('[data-testid="placed"]')).toBe("0");
    expect(await page.textContent('[data-testid="fleet"]')).toContain("Fleet paused");
    await shot("today-before");
    // Dialing resumes: the unpaused lead is called (TRANSFERRED, redialed up to the test's daily max of
    // 3); the page refreshes itself every 5 s.
    await api("POST", "/v1/admin/resume");
    const tile = async (name: string) => Number(await page.textContent(`[data-testid="${name}"]`));
    await expect.poll(() => tile("placed"), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
    await expect.poll(() => tile("transfers"), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
    expect(await page.textContent('[data-testid="fleet"]')).toContain("Fleet running");
    await shot("today");

    for (const name of ["queue", "calls", "health", "config"]) {
      await page.goto(`${loop.apiUrl}/dashboard/${name}`);
      await shot(name);
    }
    expect(await page.locator('[data-testid="config"]').inputValue()).toContain("timezone");

    await page.goto(`${loop.apiUrl}/dashboard/reports`);
    await shot("reports");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click('[data-testid="csv-range"]'),
    ]);
    const csv = await readFile((await download.path()) ?? "", "utf8");
    const [header, ...lines] = csv
      .trim()
      .split("\n")
      .map((line) => line.split(","));
    const total = lines.find((cells) => cells[header!.indexOf("day")] === "total");
    expect(Number(total?.[header!.indexOf("calls_placed")])).toBeGreaterThanOrEqual(1);

    await page.goto(`${loop.apiUrl}/dashboard/pg-boss`);
    await shot("pg-boss");
    expect(await page.title()).not.toBe("");
  });
});
