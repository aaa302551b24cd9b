import { formWords } from '../matcher/forms';

/** A quantity a form names: a unit and the power of ten its prefix gives it (megawatt → watt, 6). */
export interface UnitForm {
  unit: string;
  power: number;
}

const LONG_PREFIXES: Record<string, number> = {
  quecto: -30,
  ronto: -27,
  yocto: -24,
  zepto: -21,
  atto: -18,
  femto: -15,
  pico: -12,
  nano: -9,
  micro: -6,
  milli: -3,
  centi: -2,
  deci: -1,
  deca: 1,
  deka: 1,
  hecto: 2,
  kilo: 3,
  mega: 6,
  giga: 9,
  tera: 12,
  peta: 15,
  exa: 18,
  zetta: 21,
  yotta: 24,
  ronna: 27,
  quetta: 30,
};
const SYMBOL_PREFIXES: Record<string, number> = {
  p: -12,
  n: -9,
  µ: -6,
  μ: -6,
  u: -6,
  m: -3,
  c: -2,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const ZH_PREFIXES: Record<string, number> = {
  纳: -9,
  微: -6,
  毫: -3,
  厘: -2,
  千: 3,
  兆: 6,
  吉: 9,
  太: 12,
  拍: 15,
  艾: 18,
};

/** Unit names, their symbols and their Chinese names, each mapped to one canonical unit. */
const LONG_UNITS: Record<string, string> = {
  'watt hour': 'Wh',
  watthour: 'Wh',
  watt: 'W',
  joule: 'J',
  hertz: 'Hz',
  volt: 'V',
  ampere: 'A',
  amp: 'A',
  byte: 'B',
  bit: 'bit',
  gram: 'g',
  metre: 'm',
  meter: 'm',
  tonne: 't',
  ton: 't',
  'electron volt': 'eV',
  electronvolt: 'eV',
  pascal: 'Pa',
  newton: 'N',
  ohm: 'Ω',
  farad: 'F',
  tesla: 'T',
  litre: 'L',
  liter: 'L',
  second: 's',
  'volt ampere': 'VA',
  flop: 'FLOP',
  flops: 'FLOPS',
};
const SYMBOL_UNITS = [
  'Wh',
  'W',
  'J',
  'Hz',
  'V',
  'A',
  'B',
  'b',
  'g',
  'm',
  't',
  'eV',
  'Pa',
  'N',
  'Ω',
  'F',
  'L',
  's',
  'VA',
  'FLOPS',
  'FLOP',
];
const ZH_UNITS: Record<string, string> = {
  瓦时: 'Wh',
  瓦: 'W',
  焦耳: 'J',
  焦: 'J',
  赫兹: 'Hz',
  赫: 'Hz',
  伏特: 'V',
  伏: 'V',
  安培: 'A',
  字节: 'B',
  克: 'g',
  米: 'm',
  吨: 't',
  电子伏: 'eV',
  帕: 'Pa',
};

function longUnit(text: string): UnitForm | null {
  const name = text.toLowerCase().replace(/[\s-]+/g, ' ');
  for (const [prefix, power] of Object.entries(LONG_PREFIXES)) {
    if (!name.startsWith(prefix)) continue;
    const rest = name.slice(prefix.length).replace(/^ /, '');
    const unit =
      LONG_UNITS[rest] ??
      LONG_UNITS[rest.replace(/s$/, '')] ??
      LONG_UNITS[rest.replace(/s( hours?)$/, '$1').replace(/ hours$/, ' hour')];
    if (unit) return { unit, power };
  }
  const bare = LONG_UNITS[name] ?? LONG_UNITS[name.replace(/s$/, '')];
  return bare ? { unit: bare, power: 0 } : null;
}

function symbolUnit(text: string): UnitForm | null {
  const m = /^([pnµμumckMGTPE]?)(Wh|W|J|Hz|V|A|B|b|g|m|t|eV|Pa|N|Ω|F|L|s|VA|FLOPS|FLOP)$/.exec(text);
  if (!m || !SYMBOL_UNITS.includes(m[2]!)) return null;
  // A lone letter is too often something else (A, V, s, m): only prefixed symbols count.
  if (m[1] === '' && m[2]!.length < 2) return null;
  return { unit: m[2]!, power: m[1] ? SYMBOL_PREFIXES[m[1]]! : 0 };
}

function zhUnit(text: string): UnitForm | null {
  let power = 0;
  let i = 0;
  while (i < text.length && ZH_PREFIXES[text[i]!] !== undefined) power += ZH_PREFIXES[text[i++]!]!;
  const unit = ZH_UNITS[text.slice(i)];
  return unit && i > 0 ? { unit, power } : null;
}

/** The unit and power of ten a surface form names, if it is a (prefixed) unit: "MWh", "gigawatt", "千瓦时". */
export function unitOf(form: string): UnitForm | null {
  const text = formWords(form).join(' ');
  if (text === '') return null;
  return symbolUnit(text.replace(/ /g, '')) ?? longUnit(text) ?? zhUnit(text.replace(/ /g, ''));
}

/**
 * Endings that name one drug or one condition among many: two forms of one entry that both carry
 * one (lecanemab, donanemab; myocarditis, pericarditis; 仑卡奈单抗, 多奈单抗) name different things
 * unless one is a spelling of the other.
 */
const NAME_STEMS = [
  'mab',
  'nib',
  'ciclib',
  'vir',
  'navir',
  'previr',
  'glutide',
  'tide',
  'gliflozin',
  'gliptin',
  'fentanil',
  'fentanyl',
  'nitazene',
  'statin',
  'sartan',
  'pril',
  'olol',
  'azepam',
  'azolam',
  'prazole',
  'cillin',
  'mycin',
  'cycline',
  'floxacin',
  'conazole',
  'caine',
  'lukast',
  'parin',
  'itis',
  'oma',
  'emia',
];
/** Stems that are also a drug's whole name. */
const WHOLE_NAMES = new Set(['fentanyl', 'fentanil', 'nitazene']);
const ZH_STEMS = [
  '单抗',
  '替尼',
  '韦',
  '格列净',
  '鲁肽',
  '他汀',
  '沙坦',
  '普利',
  '洛尔',
  '西泮',
  '拉唑',
  '西林',
  '霉素',
  '环素',
  '沙星',
  '康唑',
  '卡因',
  '芬太尼',
  '炎',
];

/** The drug or condition stem a single-word form ends in, or null (see NAME_STEMS). */
export function nameStem(form: string): string | null {
  const words = formWords(form);
  if (words.length !== 1) return null;
  const word = words[0]!;
  if (/^\p{Script=Han}+$/u.test(word))
    return ZH_STEMS.find((s) => word.length > s.length + 1 && word.endsWith(s)) ?? null;
  if (!/^[a-z]+$/.test(word)) return null; // brand names (Kisunla) and acronyms are not stems
  return NAME_STEMS.find((s) => word.length >= s.length + (WHOLE_NAMES.has(s) ? 0 : 4) && word.endsWith(s)) ?? null;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/**
 * Whether two forms are spellings of one name (fentanyl/fentanil, oedema/edema), not two names; in
 * Chinese, also one long name under another qualifier, as when a disease is renamed
 * (非酒精性脂肪性肝炎, 代谢相关脂肪性肝炎: five characters of head in common, where 心肌炎/心包炎 and
 * 乙型肝炎/丙型肝炎 share one to three).
 */
export function sameNameSpelling(a: string, b: string): boolean {
  const x = formWords(a).join('').toLowerCase();
  const y = formWords(b).join('').toLowerCase();
  if (x === y || (x.length >= 6 && editDistance(x, y) <= 2 && x.slice(0, 3) === y.slice(0, 3))) return true;
  const han = /^\p{Script=Han}+$/u;
  if (!han.test(x) || !han.test(y)) return false;
  let shared = 0;
  while (shared < Math.min(x.length, y.length) && x.at(-1 - shared) === y.at(-1 - shared)) shared++;
  return shared >= 5;
}

const ROMAN: Record<string, number> = { I: 1, II: 2, III: 3, IV: 4, V: 5, VI: 6, VII: 7, VIII: 8, IX: 9 };
const ZH_DIGITS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const SMALL_DIGITS = /[⁰¹²³⁴⁵⁶⁷⁸⁹₀₁₂₃₄₅₆₇₈₉]/g;
/** A roman numeral word, alone or before a Chinese counter (III期, II型). */
const ROMAN_WORD = /^(IX|IV|V?I{1,3}|V)(?=$|[期型号代级类])/;
/** Chinese numerals that count members of a series: before a counter (嫦娥四号, 三期) or after 第 (第一定律). */
const ZH_NUMERAL = /[一二两三四五六七八九十]{1,3}(?=[号期型代级类])|(?<=第)[一二两三四五六七八九十]{1,3}/g;

function zhNumber(text: string): number {
  if (text === '十') return 10;
  const ten = text.indexOf('十');
  if (ten < 0) return ZH_DIGITS[text] ?? NaN;
  return (ten === 0 ? 1 : ZH_DIGITS[text[0]!]!) * 10 + (ZH_DIGITS[text[ten + 1] ?? ''] ?? 0);
}

/** A form with its numbers taken out: what is left, and the numbers in order ("phase III trial" → "phase#trial", [3]). */
export interface NumberedForm {
  skeleton: string;
  numbers: number[];
}

/** The numbers a form carries (digits, small digits, roman and Chinese numerals) and the rest of it, or null if none. */
export function numberedForm(form: string): NumberedForm | null {
  const numbers: number[] = [];
  const words = formWords(form.replace(SMALL_DIGITS, (c) => String('⁰¹²³⁴⁵⁶⁷⁸⁹₀₁₂₃₄₅₆₇₈₉'.indexOf(c) % 10)));
  const skeleton = words
    .map((word) => {
      const roman = ROMAN_WORD.exec(word);
      let rest = word;
      if (roman) {
        numbers.push(ROMAN[roman[1]!]!);
        rest = '#' + word.slice(roman[1]!.length);
      }
      return rest
        .replace(/\d+(?:\.\d+)?/g, (digits) => {
          numbers.push(Number(digits));
          return '#';
        })
        .replace(ZH_NUMERAL, (numeral) => {
          numbers.push(zhNumber(numeral));
          return '#';
        });
    })
    .join('')
    .toLowerCase();
  return numbers.length > 0 ? { skeleton, numbers } : null;
}

/**
 * Whether two forms are one name with different numbers: two members of one series (phase 1 and
 * phase 3 trial, COP28 and COP29, 3 nm and 2 nm, 嫦娥四号 and 嫦娥五号), not two spellings of one
 * thing. The same number written another way (phase III and phase 3, CO₂ and CO2) is one name.
 */
export function numberedSiblings(a: string, b: string): [number[], number[]] | null {
  const x = numberedForm(a);
  const y = numberedForm(b);
  if (!x || !y || x.skeleton !== y.skeleton || x.numbers.join() === y.numbers.join()) return null;
  return [x.numbers, y.numbers];
}

/**
 * The mechanical alias mistakes between two forms of one entry, as a message, or null: the same
 * unit with another prefix (gigawatt and MW), two different drug or condition names, or
 * two numbered members of one series (phase 1 trial and phase 3 trial).
 */
export function aliasMismatch(a: string, b: string): string | null {
  const ua = unitOf(a);
  const ub = unitOf(b);
  if (ua && ub && ua.unit === ub.unit && ua.power !== ub.power)
    return `"${b}" is 10^${ub.power} ${ub.unit} and "${a}" is 10^${ua.power} ${ua.unit}: an alias must name the same quantity (give it its own entry or list it in related)`;
  const sa = nameStem(a);
  const sb = nameStem(b);
  if (sa && sb && !sameNameSpelling(a, b))
    return `"${b}" and "${a}" look like two different ${sa === 'itis' || sa === '炎' || sa === 'oma' || sa === 'emia' ? 'conditions' : 'drugs'} (-${sb}, -${sa}): an alias must be another name of the same thing (give it its own entry or list it in related)`;
  const siblings = numberedSiblings(a, b);
  if (siblings)
    return `"${b}" and "${a}" differ only in their number (${siblings[1].join(', ')} and ${siblings[0].join(', ')}): they name two members of a series, and an alias must be another name of the same thing (give it its own entry or list it in related)`;
  return null;
}
