import { describe, expect, it } from "vitest";
import { bindCall } from "../src/index.ts";

const attempt = (id: number, blandCallId: string | null) => ({ id, blandCallId });

describe("bindCall: a result belongs to the attempt its call_id belongs to", () => {
  it("the call_id's attempt, with the metadata agreeing or absent", () => {
    expect(
      bindCall({ callId: "c-1", attemptId: 1 }, { byCallId: attempt(1, "c-1"), named: attempt(1, "c-1") }),
    ).toEqual({
      kind: "bound",
      attemptId: 1,
    });
    expect(
      bindCall({ callId: "c-1", attemptId: null }, { byCallId: attempt(1, "c-1"), named: undefined }),
    ).toEqual({
      kind: "bound",
      attemptId: 1,
    });
  });

  it("a call_id not stored yet binds to the named attempt that has no call id (the webhook beat Bland's answer)", () => {
    expect(
      bindCall({ callId: "c-2", attemptId: 2 }, { byCallId: undefined, named: attempt(2, null) }),
    ).toEqual({
      kind: "bound",
      attemptId: 2,
    });
  });

  it("no call_id: never bound by the metadata alone", () => {
    expect(
      bindCall({ callId: null, attemptId: 3 }, { byCallId: undefined, named: attempt(3, null) }),
    ).toMatchObject({
      kind: "unbound",
    });
  });

  it("a call_id of another attempt than the one named, or a named attempt with another call: conflict", () => {
    expect(
      bindCall({ callId: "c-4", attemptId: 5 }, { byCallId: attempt(4, "c-4"), named: attempt(5, "c-5") }),
    ).toEqual({
      kind: "conflict",
      reason: "call c-4 is attempt 4's, but its metadata names attempt 5",
    });
    expect(
      bindCall({ callId: "c-9", attemptId: 5 }, { byCallId: undefined, named: attempt(5, "c-5") }),
    ).toEqual({
      kind: "conflict",
      reason: "the metadata names attempt 5, whose call is c-5, not c-9",
    });
    expect(
      bindCall({ callId: "c-4", attemptId: 99 }, { byCallId: attempt(4, "c-4"), named: undefined }),
    ).toMatchObject({
      kind: "conflict",
    });
  });

  it("a call of no attempt of ours (inbound, another system's) is unknown", () => {
    expect(bindCall({ callId: "c-6", attemptId: null }, { byCallId: undefined, named: undefined })).toEqual({
      kind: "unknown_call",
    });
    expect(bindCall({ callId: "c-6", attemptId: 77 }, { byCallId: undefined, named: undefined })).toEqual({
      kind: "unknown_call",
    });
  });
});
