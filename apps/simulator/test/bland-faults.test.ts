import { BlandError } from "@redial/bland";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../src/index.ts";
import {
  blandClient,
  callRequest,
  configure,
  getJson,
  startTestSimulator,
  testPhone,
  WebhookReceiver,
} from "./helpers.ts";

let sim: RunningSimulator;
let receiver: WebhookReceiver;

beforeAll(async () => {
  sim = await startTestSimulator({ historyCalls: 0 });
  receiver = await new WebhookReceiver().start();
});
afterAll(async () => {
  await sim.close();
  await receiver.stop();
});
beforeEach(async () => {
  await fetch(`${sim.url}/_sim/reset`, { method: "POST" });
  await configure(sim, { callDurationMs: 60_000 });
});

async function createError(phone = testPhone(), timeoutMs = 5000): Promise<BlandError> {
  const error = await blandClient(sim, timeoutMs)
    .createCall(callRequest(receiver.url, phone))
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(BlandError);
  return error as BlandError;
}

async function callsTo(phone: string): Promise<number> {
  return (await blandClient(sim).listCalls({ toNumber: phone })).count;
}

describe("faults on POST /v1/calls, as the Bland client classifies them", () => {
  it("429 with Retry-After is rate_limited with the delay in ms, and places nothing", async () => {
    await configure(sim, { faults: { rateLimit: { next: 1, retryAfterSeconds: 3 } } });
    const phone = testPhone();
    expect(await createError(phone)).toMatchObject({ code: "rate_limited", status: 429, retryAfterMs: 3000 });
    expect(await callsTo(phone)).toBe(0);
  });

  it("429 without Retry-After is rate_limited with no delay", async () => {
    await configure(sim, { faults: { rateLimit: { next: 1, retryAfterSeconds: null } } });
    expect(await createError()).toMatchObject({ code: "rate_limited", retryAfterMs: null });
  });

  it("the next-N budget runs out: the third request goes through", async () => {
    await configure(sim, { faults: { rateLimit: { next: 2 } } });
    await createError();
    await createError();
    await expect(blandClient(sim).createCall(callRequest(receiver.url))).resolves.toHaveProperty("callId");
  });

  it("probability 1 fires every time", async () => {
    await configure(sim, { faults: { serverErrorBeforePlacing: { probability: 1 } } });
    for (let i = 0; i < 3; i++) expect((await createError()).code).toBe("ambiguous");
  });

  it("5xx before placing is ambiguous to the client, and no call exists", async () => {
    await configure(sim, { faults: { serverErrorBeforePlacing: { next: 1, status: 503 } } });
    const phone = testPhone();
    expect(await createError(phone)).toMatchObject({ code: "ambiguous", status: 503 });
    expect(await callsTo(phone)).toBe(0);
  });

  it("5xx AFTER placing is ambiguous, and the call exists, ends and sends its webhook", async () => {
    await configure(sim, { callDurationMs: 1, faults: { serverErrorAfterPlacing: { next: 1 } } });
    receiver.received.length = 0;
    const phone = testPhone();
    expect(await createError(phone)).toMatchObject({ code: "ambiguous", status: 502 });
    expect(await callsTo(phone)).toBe(1);
    const [hook] = await receiver.waitFor(1);
    expect(hook!.body.to).toBe(phone);
  });

  it("a timeout before placing is ambiguous and places nothing", async () => {
    await configure(sim, { faults: { timeoutBeforePlacing: { next: 1, hangMs: 5000 } } });
    const phone = testPhone();
    expect((await createError(phone, 150)).code).toBe("ambiguous");
    expect(await callsTo(phone)).toBe(0);
  });

  it("a timeout after placing is ambiguous and the call exists", async () => {
    await configure(sim, { faults: { timeoutAfterPlacing: { next: 1, hangMs: 5000 } } });
    const phone = testPhone();
    expect((await createError(phone, 150)).code).toBe("ambiguous");
    expect(await callsTo(phone)).toBe(1);
  });

  it("a read answered 503 (readServerError) fails the client's reads after their retries; the next read answers", async () => {
    const phone = testPhone();
    await blandClient(sim).createCall(callRequest(receiver.url, phone));
    await configure(sim, { faults: { readServerError: { next: 4 } } });
    const error = await blandClient(sim)
      .listCalls({ toNumber: phone })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BlandError);
    expect(await callsTo(phone)).toBe(1);
  });

  it("a refused connection is not_placed", async () => {
    const closed = await startTestSimulator({ historyCalls: 0 });
    await closed.close();
    const error = await blandClient(closed)
      .createCall(callRequest(receiver.url))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "not_placed", status: null });
  });

  it("a wrong key is unauthorized", async () => {
    const client = (await import("@redial/bland")).createBlandClient({ baseUrl: sim.url, apiKey: "nope" });
    await expect(client.createCall(callRequest(receiver.url))).rejects.toMatchObject({
      code: "unauthorized",
    });
  });

  it("an invalid request is rejected with Bland's message", async () => {
    const error = await blandClient(sim)
      .createCall({ ...callRequest(receiver.url), phone_number: "abc" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "rejected", status: 400 });
    expect((error as Error).message).toContain("phone_number");
  });

  it("getCall of an unknown id is not_found", async () => {
    await expect(blandClient(sim).getCall("no-such-call")).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("caps", () => {
  it("over the concurrent cap the request is refused with 429 and reported", async () => {
    await configure(sim, { caps: { concurrent: 2 } });
    await blandClient(sim).createCall(callRequest(receiver.url));
    await blandClient(sim).createCall(callRequest(receiver.url));
    expect(await createError()).toMatchObject({ code: "rate_limited", status: 429 });
    const stats = await getJson<{ calls: { inProgress: number; rejectedByCaps: number } }>(
      `${sim.url}/_sim/stats`,
    );
    expect(stats.calls).toMatchObject({ inProgress: 2, rejectedByCaps: 1 });
  });

  it("over the hourly cap the request is refused with 429", async () => {
    await configure(sim, { caps: { perHour: 1 } });
    await blandClient(sim).createCall(callRequest(receiver.url));
    expect((await createError()).code).toBe("rate_limited");
  });
});

describe("GET /v1/calls count", () => {
  it("can be made wrong on purpose (listCountOffset)", async () => {
    await configure(sim, { faults: { listCountOffset: 7 } });
    const phone = testPhone();
    await blandClient(sim).createCall(callRequest(receiver.url, phone));
    const page = await blandClient(sim).listCalls({ toNumber: phone });
    expect(page).toMatchObject({ count: 8, calls: [expect.objectContaining({ to: phone })] });
  });
});
