import { LeadNotFound } from "@redial/db";
import { InvalidSchedulerConfig, ServiceError, type ServiceErrorCode } from "@redial/services";
import type { FastifyError, FastifyInstance } from "fastify";
import { ZodError } from "zod";

export class Unauthorized extends Error {
  readonly code = "unauthorized" as const;
  constructor(message: string) {
    super(message);
    this.name = "Unauthorized";
  }
}

export class BadRequest extends Error {
  readonly code = "invalid_input" as const;
  constructor(message: string) {
    super(message);
    this.name = "BadRequest";
  }
}

const SERVICE_STATUS: Record<ServiceErrorCode, number> = {
  invalid_phone: 422,
  phone_on_dnc: 409,
  invalid_input: 400,
  lead_completed: 409,
  unknown_call: 404,
};

/** The one place errors become HTTP answers: `{error: {code, message}}`. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    const { status, code, message } = describe(error);
    if (status >= 500) request.log.error({ err: error }, "request failed");
    void reply.status(status).send({ error: { code, message } });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({
      error: { code: "not_found", message: `No route ${request.method} ${request.url}. See /docs.` },
    });
  });
}

function describe(error: FastifyError | Error): { status: number; code: string; message: string } {
  if (error instanceof ServiceError)
    return { status: SERVICE_STATUS[error.code], code: error.code, message: error.message };
  if (error instanceof LeadNotFound) return { status: 404, code: error.code, message: error.message };
  if (error instanceof Unauthorized) return { status: 401, code: error.code, message: error.message };
  if (error instanceof BadRequest) return { status: 400, code: error.code, message: error.message };
  if (error instanceof InvalidSchedulerConfig)
    return { status: 400, code: error.code, message: error.message };
  if (error instanceof ZodError) {
    return {
      status: 400,
      code: "invalid_input",
      message: error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "),
    };
  }
  const status = (error as FastifyError).statusCode;
  if (status && status < 500)
    return {
      status,
      code: (error as FastifyError).code?.toLowerCase() ?? "bad_request",
      message: error.message,
    };
  return { status: 500, code: "internal", message: "Internal error; it is logged with the request id." };
}
