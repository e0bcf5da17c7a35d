/** Longest text of a client's that an answer echoes back: enough to recognise it, not a way to make answers huge. */
export const MAX_ECHOED_CHARS = 1024;

/** `text` cut to `max` characters, saying how long it was. */
export function clip(text: string, max = MAX_ECHOED_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}
