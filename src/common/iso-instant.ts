// YYYY-MM-DD, optionally followed by T (or a space) and hh:mm[:ss[.fraction]] and Z or ±hh[:]mm.
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/**
 * Parses an ISO 8601 calendar date or date-time into the UTC instant it
 * names, as a fixed-width ISO string with milliseconds. A date alone is
 * midnight UTC; a date-time without an offset is read as UTC. Returns null
 * for anything that is not a real calendar instant (2021-02-30, 24:00, …).
 */
export function parseIsoInstant(text: string): string | null {
  const match = ISO_INSTANT.exec(text);
  if (!match) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', zone = 'Z'] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const millisText = fraction.padEnd(3, '0').slice(0, 3);
  // UTC already (the common case of a large load): the answer is the fields as written, without a Date.
  if (zone === 'Z' || zone === 'z') return `${y}-${mo}-${d}T${h}:${mi}:${s}.${millisText}Z`;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetHours = Number(digits.slice(0, 2));
  const offsetMins = Number(digits.slice(2) || '0');
  if (offsetHours > 23 || offsetMins > 59) return null;
  const offsetMinutes = sign * (offsetHours * 60 + offsetMins);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute - offsetMinutes, second, Number(millisText));
  // Offsets can push year 1 or 9999 out of the four-digit years 0001–9999.
  const utcYear = date.getUTCFullYear();
  return utcYear >= 1 && utcYear <= 9999 ? date.toISOString() : null;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
