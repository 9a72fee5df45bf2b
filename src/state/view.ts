/**
 * What the user is looking at, beside the scenario: it travels in share links so that a link
 * restores exactly what the sender saw.
 */
export interface ViewState {
  /**
   * Events applied: 0 shows the machine after boot, scenario.events.length the end. -1 (the
   * default, so a link without a step) means the last step.
   */
  step: number;
  /** Visible physical address window in bytes [start, end), or null for the full view. */
  window: { start: number; end: number } | null;
  /** Selected physical address (inspector), or null. */
  selection: number | null;
  /** Gigantic-page overlay on or off. */
  gigantic: boolean;
  /** Table view instead of the canvas. */
  table: boolean;
}

export const DEFAULT_VIEW: ViewState = {
  step: -1,
  window: null,
  selection: null,
  gigantic: false,
  table: false,
};
