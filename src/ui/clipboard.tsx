/**
 * Copying text for the user, and the field that shows it when the browser refuses the clipboard
 * (no permission, an insecure context): the same for the share link, the embed link and the
 * kernel's text.
 */

/** Copies text; false when the browser refused. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** A read-only field holding a link, selected on focus so it can be copied by hand. */
export function LinkField({ value, label }: { value: string; label: string }) {
  return (
    <input
      className="share-fallback"
      readOnly
      value={value}
      aria-label={label}
      onFocus={(event) => event.target.select()}
    />
  );
}
