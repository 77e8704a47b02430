/** First pause before a dead sensor is started again (st2 waits 2.5 s); doubles on each quick death. */
export const RESTART_BACKOFF_MIN_MS = 1_000;
/** The longest pause between two starts of a sensor that keeps dying. */
export const RESTART_BACKOFF_MAX_MS = 60_000;
/** A sensor that ran this long before dying was up (st2's 10 s threshold): its back-off starts over. */
export const STABLE_AFTER_MS = 10_000;
/** After this many deaths in a row each sooner than STABLE_AFTER_MS, the sensor shows `failed`. */
export const FAILED_AFTER_QUICK_DEATHS = 3;
/** How often a host whose sensor's lease is held elsewhere tries again (a lapsed lease is taken within this). */
export const CLAIM_RETRY_MS = 1_000;
/** How often a host re-reads the registered sensors: a registered or changed sensor starts within this. */
export const SENSOR_REFRESH_MS = 5_000;
/** SIGTERM → SIGKILL delay when a sensor is stopped (st2's PROCESS_EXIT_TIMEOUT). */
export const SENSOR_STOP_GRACE_MS = 5_000;
/** A sensor's log line is cut to this many bytes (the rest is dropped, said so). */
export const LOG_LINE_LIMIT_BYTES = 8 * 1024;
/** A stored last error is cut to this many characters. */
export const LAST_ERROR_LIMIT_CHARS = 1_000;
/** `lastDispatchAt` is written at most this often per sensor: a sensor dispatching fast costs one write a second. */
export const DISPATCH_RECORD_EVERY_MS = 1_000;
