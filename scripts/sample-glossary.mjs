// Draws a reproducible sample of bundled glossary entries for an editor's review:
//   node scripts/sample-glossary.mjs LANG COUNT SEED    (e.g. en 60 42, zh-Hans 40 42)
// Entries are sorted by id, shuffled with mulberry32(SEED), and the first COUNT are printed with
// their forms, level, short and long, so anyone can draw the same sample again.
import { readdirSync, readFileSync } from 'node:fs';

const [lang, count, seed] = process.argv.slice(2);
if (!lang || !Number(count) || seed === undefined || !Number.isInteger(Number(seed))) {
  console.error('usage: node scripts/sample-glossary.mjs LANG COUNT SEED   (LANG: en or zh-Hans)');
  process.exit(2);
}
const dir = new URL(`../shared/glossary/packs/${lang}/`, import.meta.url);
const all = [];
for (const file of readdirSync(dir).sort())
  for (const entry of JSON.parse(readFileSync(new URL(file, dir), 'utf8')).entries) all.push({ file, entry });
all.sort((a, b) => (a.entry.id < b.entry.id ? -1 : a.entry.id > b.entry.id ? 1 : 0));

let state = Number(seed) >>> 0;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
for (let i = all.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [all[i], all[j]] = [all[j], all[i]];
}

console.log(`${lang}: ${all.length} entries, seed ${seed}, first ${count}`);
for (const { file, entry: e } of all.slice(0, Number(count))) {
  const flags = [e.volatile ? 'volatile' : '', e.reviewed ? `reviewed ${e.reviewed}` : 'not reviewed'].filter(Boolean);
  console.log(
    `\n[${e.id}] ${file} level ${e.level} · ${e.term} | aliases: ${(e.aliases ?? []).join(', ')} | ${flags.join(', ')}`,
  );
  if (e.needsContext?.length) console.log(`needs context: ${e.needsContext.join(', ')}`);
  console.log(`short: ${e.short}\nlong: ${e.long}`);
}
