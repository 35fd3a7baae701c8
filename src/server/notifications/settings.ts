/** Settings of the Notification API (NOTIFY_* in the README). */
export interface NotificationSettings {
  /**
   * Private addresses a notify_url may reach anyway (NOTIFY_ALLOW_PRIVATE_HOSTS): addresses, CIDR ranges or `*`.
   * Empty by default: no SSRF into the server's own network.
   */
  allowPrivateHosts: string[];
  /** How long one delivery may take, connection to response (NOTIFY_TIMEOUT_MS); below the outbox lease. */
  timeoutMs: number;
  /** Channels one user may hold at once (NOTIFY_MAX_CHANNELS). */
  maxChannelsPerUser: number;
}

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = {
  allowPrivateHosts: [],
  timeoutMs: 10_000,
  maxChannelsPerUser: 100,
};
