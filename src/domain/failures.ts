/** `ApplicationFailure` types that activities throw and workflows branch on. */
export const failureTypes = {
  /** The cloud refused the capture request (4xx other than 429): retrying would not help. */
  captureRejected: 'CaptureRejected',
  /** The download URL has expired or the storage refused it: the file must be re-requested. */
  downloadUrlExpired: 'DownloadUrlExpired',
  /** The URL points at a host outside DOWNLOAD_ALLOWED_HOSTS. */
  downloadHostNotAllowed: 'DownloadHostNotAllowed',
  /** The callback receiver answered 410 Gone: stop delivering. */
  callbackGone: 'CallbackGone',
} as const;
