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
  /**
   * The tiles' gigantic-page badges: on, off, or null (the default) for "on when the scenario
   * asks for gigantic pages". (Link format 1 before 0.2.0 had false as its default: the overlay
   * was off unless asked for.)
   */
  gigantic: boolean | null;
  /** Table view instead of the canvas. */
  table: boolean;
  /** The map alone, without controls: a page for a slide or a blog post. */
  embed: boolean;
}

export const DEFAULT_VIEW: ViewState = {
  step: -1,
  window: null,
  selection: null,
  gigantic: null,
  table: false,
  embed: false,
};
