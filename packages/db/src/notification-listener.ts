import pg from "pg";

export interface NotificationListener {
  close(): Promise<void>;
}

/**
 * LISTEN on `channel` over a connection of its own; `onNotify` runs for every notification. A lost
 * connection is reported to `onError` and not reopened: callers poll as well (LISTEN does not pass
 * through a pooler in transaction mode, and a notification sent while disconnected is lost anyway).
 */
export async function listenForNotifications(
  connectionString: string,
  channel: string,
  onNotify: (payload: string | undefined) => void,
  onError: (error: Error) => void,
): Promise<NotificationListener> {
  const client = new pg.Client({ connectionString });
  client.on("error", onError);
  client.on("notification", (message) => {
    if (message.channel === channel) onNotify(message.payload);
  });
  await client.connect();
  await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
  return {
    close: async () => {
      await client.end().catch(() => undefined);
    },
  };
}
