// Zone abbreviations seen in real RSS dates beyond the few the JS engines know.
const ZONES: Record<string, string> = {
  UT: '+0000',
  UTC: '+0000',
  GMT: '+0000',
  Z: '+0000',
  EST: '-0500',
  EDT: '-0400',
  CST: '-0600',
  CDT: '-0500',
  MST: '-0700',
  MDT: '-0600',
  PST: '-0800',
  PDT: '-0700',
  AKST: '-0900',
  AKDT: '-0800',
  HST: '-1000',
  AST: '-0400',
  ADT: '-0300',
  NST: '-0330',
  NDT: '-0230',
  BST: '+0100',
  IST: '+0530',
  CET: '+0100',
  CEST: '+0200',
  MET: '+0100',
  MEST: '+0200',
  EET: '+0200',
  EEST: '+0300',
  WET: '+0000',
  WEST: '+0100',
  MSK: '+0300',
  JST: '+0900',
  KST: '+0900',
  HKT: '+0800',
  SGT: '+0800',
  AEST: '+1000',
  AEDT: '+1100',
  ACST: '+0930',
  AWST: '+0800',
  NZST: '+1200',
  NZDT: '+1300',
  CCT: '+0800',
};

const MONTHS: Record<string, number> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  sept: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};

function validIso(ms: number): string | undefined {
  if (!Number.isFinite(ms)) return undefined;
  const year = new Date(ms).getUTCFullYear();
  return year >= 1900 && year <= 2200 ? new Date(ms).toISOString() : undefined;
}

function offsetMinutes(zone: string): number | null {
  const named = ZONES[zone.toUpperCase()];
  const text = named ?? zone;
  const m = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(text);
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

/** RFC 822/2822 as feeds write it, forgivingly: day name optional, 2-digit years, named zones. */
function parseRfc822(text: string): number | undefined {
  const m =
    /^(?:[A-Za-z]+,?\s*)?(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{2,4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*([A-Za-z]{1,5}|[+-]\d{2}:?\d{2})?/.exec(
      text,
    );
  if (!m) return undefined;
  const month = MONTHS[m[2]!.slice(0, m[2]!.toLowerCase().startsWith('sept') ? 4 : 3).toLowerCase()];
  if (month === undefined) return undefined;
  let year = Number(m[3]);
  if (year < 100) year += year < 50 ? 2000 : 1900;
  const utc = Date.UTC(year, month, Number(m[1]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  const offset = m[7] ? offsetMinutes(m[7]) : 0;
  return utc - (offset ?? 0) * 60_000;
}

/**
 * Reads a feed date (RFC 822, ISO 8601/W3C-DTF, and the usual sloppy variants) as an ISO instant.
 * A date without a zone is taken as UTC so results never depend on the machine's time zone.
 */
export function parseFeedDate(input: string | undefined): string | undefined {
  const text = input?.trim();
  if (!text) return undefined;
  // ISO 8601 / W3C-DTF, possibly with a space instead of T, possibly without a zone.
  const iso =
    /^(\d{4})-(\d{2})(?:-(\d{2}))?(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}:?\d{2}|[A-Za-z]{2,4})?)?$/.exec(
      text,
    );
  if (iso) {
    const [, y, mo, d, h, mi, s, frac, zone] = iso;
    const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
    const utc = Date.UTC(
      Number(y),
      Number(mo) - 1,
      Number(d ?? 1),
      Number(h ?? 0),
      Number(mi ?? 0),
      Number(s ?? 0),
      ms,
    );
    const offset = zone ? offsetMinutes(zone) : 0;
    return validIso(utc - (offset ?? 0) * 60_000);
  }
  const rfc = parseRfc822(text);
  if (rfc !== undefined) return validIso(rfc);
  // Last resort: whatever the engine understands, forced to UTC when no zone is written.
  return validIso(Date.parse(/[zZ]|[+-]\d{2}:?\d{2}|GMT|UTC/.test(text) ? text : `${text} UTC`));
}
