import { createServer } from "node:http";
import { SMTPServer } from "smtp-server";

/** Tests only: a real SMTP server on a free local port that keeps every message it receives. */
export async function startMailCatcher(): Promise<{
  url: string;
  messages: { from: string; to: string[]; raw: string }[];
  next(): Promise<{ from: string; to: string[]; raw: string }>;
  close(): Promise<void>;
}> {
  const messages: { from: string; to: string[]; raw: string }[] = [];
  const waiting: ((m: { from: string; to: string[]; raw: string }) => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const message = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        };
        messages.push(message);
        waiting.shift()?.(message);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  let seen = 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    next: () => {
      const ready = messages[seen];
      seen++;
      return ready ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Tests only: a local HTTP receiver standing in for a Slack incoming webhook. */
export async function startSlackReceiver(options: { status?: number } = {}): Promise<{
  url: string;
  posts: unknown[];
  close(): Promise<void>;
}> {
  const posts: unknown[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      posts.push(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      response.writeHead(options.status ?? 200, { "content-type": "text/plain" });
      response.end(options.status && options.status >= 300 ? "invalid_payload" : "ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/services/T000/B000/test`,
    posts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
