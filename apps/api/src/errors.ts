import { LeadNotFound } from "@redial/db";
import { ReportArgumentError } from "@redial/reports";
import { InvalidSchedulerConfig, ServiceError, type ServiceErrorCode } from "@redial/services";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ZodError } from "zod";

/**
 * The API's own refusals. Every answer that is not a success reads `{error: {code, message}}`,
 * codes in snake_case, messages that say what to do next.
 */
export type ApiErrorCode =
  | "unauthorized"
  | "invalid_input"
  | "invalid_json"
  | "body_too_large"
  | "unsupported_media_type"
  | "uri_too_long"
  | "rate_limited"
  | "not_found"
  | "report_timeout";

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly status: number;
  constructor(status: number, code: ApiErrorCode, message: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }
}

export class Unauthorized extends ApiError {
  constructor(message: string) {
    super(401, "unauthorized", message);
    this.name = "Unauthorized";
  }
}

export class BadRequest extends ApiError {
  constructor(message: string, code: "invalid_input" | "invalid_json" = "invalid_input") {
    super(400, code, message);
    this.name = "BadRequest";
  }
}

export class RateLimited extends ApiError {
  constructor(message: string) {
    super(429, "rate_limited", message);
    this.name = "RateLimited";
  }
}

const SERVICE_STATUS: Record<ServiceErrorCode, number> = {
  invalid_phone: 422,
  phone_on_dnc: 409,
  invalid_input: 400,
  lead_completed: 409,
  unknown_call: 404,
  convoso_lead_ambiguous: 409,
  convoso_lead_mismatch: 409,
  call_id_conflict: 409,
};

/** Fastify's own errors (body parsing, limits, URLs), in our codes. */
const FASTIFY_ERRORS: Record<string, { status: number; code: ApiErrorCode; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: "body_too_large",
    message: "The body is larger than this route accepts: send less (bulk: at most 10,000 leads).",
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: "unsupported_media_type",
    message: "Send the body as application/json (the Convoso webhooks also take form fields).",
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: "invalid_input",
    message: "Content-Length does not match the body sent.",
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: "invalid_json",
    message: "The body is empty although Content-Type says JSON: send a JSON body or no Content-Type.",
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: "invalid_json",
    message: "The body is not valid JSON.",
  },
  FST_ERR_CTP_EMPTY_TYPE: {
    status: 415,
    code: "unsupported_media_type",
    message: "Content-Type is empty: send application/json.",
  },
  FST_ERR_CTP_INVALID_TYPE: {
    status: 415,
    code: "unsupported_media_type",
    message: "Content-Type is not valid: send application/json.",
  },
  FST_ERR_BAD_URL: {
    status: 400,
    code: "invalid_input",
    message: "The URL is not valid (bad percent-encoding).",
  },
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 414,
    code: "uri_too_long",
    message: "A path parameter is longer than any id: check the URL.",
  },
  FST_ERR_ASYNC_CONSTRAINT: {
    status: 400,
    code: "invalid_input",
    message: "The request matches no route version.",
  },
};

/** The one place errors become HTTP answers. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => answerError(error, request, reply));
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({
      error: {
        code: "not_found",
        message: `No route ${request.method} ${request.url.split("?")[0]}. See /docs.`,
      },
    });
  });
}

/** Fastify's `frameworkErrors` (errors before routing) answer like every other error. */
export function answerError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  const { status, code, message } = describe(error);
  if (status >= 500) request.log.error({ err: error }, "request failed");
  void reply.status(status).send({ error: { code, message } });
}

function describe(error: FastifyError | Error): { status: number; code: string; message: string } {
  if (error instanceof ApiError) return { status: error.status, code: error.code, message: error.message };
  if (error instanceof ServiceError)
    return { status: SERVICE_STATUS[error.code], code: error.code, message: error.message };
  if (error instanceof LeadNotFound) return { status: 404, code: error.code, message: error.message };
  if (error instanceof InvalidSchedulerConfig)
    return { status: 400, code: error.code, message: error.message };
  if (error instanceof ReportArgumentError) return { status: 400, code: error.code, message: error.message };
  if (error instanceof ZodError) {
    return {
      status: 400,
      code: "invalid_input",
      message: error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "),
    };
  }
  const known = FASTIFY_ERRORS[(error as FastifyError).code ?? ""];
  if (known) return known;
  if ((error as { code?: unknown }).code === "57014")
    return {
      status: 503,
      code: "report_timeout",
      message: "The report ran past REPORT_STATEMENT_TIMEOUT_MS: ask for fewer days, or raise the timeout.",
    };
  const status = (error as FastifyError).statusCode;
  if (status && status >= 400 && status < 500)
    return { status, code: "invalid_input", message: error.message };
  return { status: 500, code: "internal", message: "Internal error; it is logged with the request id." };
}
