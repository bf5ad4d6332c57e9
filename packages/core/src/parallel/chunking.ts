/** Aim for chunks of about this much work (ms): messaging then costs well under 1 %. */
const TARGET_CHUNK_MS = 40;
/** Before timings exist, start small: a slow task (a bootstrap refit) must not hoard payloads. */
const FIRST_CHUNK = 4;
const MAX_CHUNK = 4096;

/**
 * Number of payloads to send in the next chunk. A fixed `chunkSize` is used as given; "auto"
 * sizes chunks to ~40 ms of measured work, and never takes more than half a fair share of what
 * is left, so the tail of a run still spreads over all workers.
 */
export function nextChunkSize(remaining: number, workers: number, msPerItem: number | undefined, chunkSize: number | "auto"): number {
  if (chunkSize !== "auto") return Math.min(chunkSize, remaining);
  const fairHalf = Math.max(1, Math.ceil(remaining / (2 * workers)));
  const byTime = msPerItem === undefined ? FIRST_CHUNK : Math.max(1, Math.floor(TARGET_CHUNK_MS / Math.max(msPerItem, 1e-3)));
  return Math.min(remaining, fairHalf, byTime, MAX_CHUNK);
}
