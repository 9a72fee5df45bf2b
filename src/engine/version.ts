/**
 * The engine's version: it travels in every result (`engine`) and the worker's handshake, so an
 * answer can be traced to the rules that produced it. Rules:
 *
 * - Bump it whenever the engine's answer for the same scenario can change: a figure, a placement,
 *   a step that now fails or succeeds, a run split differently, a narrative or log line. The
 *   minor (0.2.0 → 0.3.0) when what the answer means changes (a kernel rule modelled anew, a new
 *   kernel version, a result field), the patch (0.2.0 → 0.2.1) when only its words do.
 * - Not for changes that leave every answer as it was (a refactor, a faster path): the demos'
 *   fingerprints prove that.
 * - The result's shape has its own number (`version` in result.ts, the result format), and the
 *   worker's messages theirs (PROTOCOL_VERSION in worker/protocol.ts); a shape change usually
 *   bumps this too, as the answers change with it.
 * - `state/engine-version.test.ts` simulates every demo of state/presets.ts and compares each
 *   result's hash with test/fingerprints.json: it fails when one changes without a bump. After
 *   bumping, run `npm run fingerprint` to record the new results. The stable links
 *   (test/links.json) check the figures a shared link shows; when they change for a kernel reason,
 *   the figure changes there with a note saying why.
 *
 * 0.2.0: periodic runs, result format 2, kernel versions (since 0.1.0).
 * 0.3.0: the map's tiles name the rows of blocks pinned by hosting memmap (`pinnedRows`).
 */
export const ENGINE_VERSION = '0.3.0';
