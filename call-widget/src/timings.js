/** How long a call waits for what, shared by the two-person call (call.js) and the group call (mesh.js). */

/** How often the connection details (path, frames, quality) are read. */
export const STATS_EVERY_MS = 1000;
/** How long to wait for the first TURN credentials before calling without them. */
export const TURN_WAIT_MS = 1500;
/**
 * A pairing that has not connected after this long starts over: whatever went wrong (a signal the
 * host dropped), both sides end up meeting again.
 */
export const PAIR_TIMEOUT_MS = 10_000;
/**
 * After a break, ICE restarts: the impolite side first, the polite one later only if nothing
 * came (a collision is resolved either way); then again every few seconds while not connected.
 */
export const RESTART_AFTER_MS = { impolite: 250, polite: 3000 };
export const RESTART_EVERY_MS = 4000;
