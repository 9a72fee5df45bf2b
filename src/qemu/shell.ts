/**
 * Bits of shell and QMP text the generated script is made of. Everything the script embeds from
 * a scenario goes through here, so a title or label can never break out of its quotes.
 */
import { formatBytes, hex } from '../engine/units.ts';

/** Single-quoted for bash: safe for any text. */
export function shQuote(text: string): string {
  return /^[A-Za-z0-9_./:=,+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** One line of comment text: no newlines, no control characters. */
export function commentText(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    out += code < 0x20 || code === 0x7f ? ' ' : char;
  }
  return out.replace(/ {2,}/g, ' ').trim();
}

/** A QMP command as one line of JSON, as the script sends it. */
export function qmpCommand(execute: string, args?: Record<string, unknown>): string {
  return JSON.stringify(args ? { execute, arguments: args } : { execute });
}

/** "4 GiB at 0x100000000": how the script's comments and messages name a range. */
export function rangeText(startBytes: number, sizeBytes: number): string {
  return `${formatBytes(sizeBytes)} at ${hex(startBytes)}`;
}

/**
 * Template tag for shell text: backslashes stay as written (sed and awk need them), `${...}`
 * interpolates TypeScript values, and `\${` writes a literal `${` for the shell.
 */
export function shell(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.raw.map((part) => part.replaceAll('\\${', '${'));
  return String.raw({ raw }, ...values);
}
