import type { GlossaryEntry } from '../../shared/glossary/schema';

const SUPERLATIVE_EN =
  /\b(?:first|largest|biggest|smallest|most|least|only|fastest|oldest|newest|highest|lowest|record|never|always|every|all)\b/gi;
const SUPERLATIVE_ZH = /最[\p{Script=Han}]|首次|首个|第一|唯一|从未|史上|纪录|所有|全部/gu;

/**
 * What an editor should check first in a model's draft, in plain words: the numbers, the dates,
 * the superlatives and the sources (which are never verified by the model).
 */
export function checkFirst(entry: GlossaryEntry): string[] {
  const text = `${entry.short} ${entry.long}`;
  const out: string[] = [];
  const years = [...new Set(text.match(/\b(?:1[5-9]|20)\d{2}\b|(?:1[5-9]|20)\d{2}(?=年)/g) ?? [])];
  const numbers = [
    ...new Set(text.match(/\d(?:[\d,.]*\d)?(?:\s?(?:%|percent|million|billion|km|kg|亿|万|千米|公里))?/g) ?? []),
  ].filter((n) => !years.includes(n.trim()));
  if (years.length > 0) out.push(`dates: ${years.join(', ')}`);
  if (numbers.length > 0) out.push(`numbers: ${numbers.slice(0, 8).join(', ')}`);
  const superlatives = [...new Set([...(text.match(SUPERLATIVE_EN) ?? []), ...(text.match(SUPERLATIVE_ZH) ?? [])])];
  if (superlatives.length > 0) out.push(`superlatives: ${superlatives.map((s) => s.toLowerCase()).join(', ')}`);
  out.push(`sources (unverified): ${entry.sources.map((s) => s.url).join(' ')}`);
  return out;
}
