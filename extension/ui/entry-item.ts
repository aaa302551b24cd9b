import type { EntryInfo } from '../glossary/types';
import { t } from './i18n';

/** One entry as a list item: term, field and level, short explanation, and the long one folded. */
export function entryItem(doc: Document, entry: EntryInfo, count?: number): HTMLLIElement {
  const li = doc.createElement('li');
  li.lang = entry.lang;
  li.dataset.id = entry.id;
  const head = doc.createElement('div');
  head.className = 'head';
  const term = doc.createElement('strong');
  term.textContent = entry.term;
  const meta = doc.createElement('span');
  meta.className = 'muted';
  const fields = entry.fields.map((f) => t(`field_${f.replace(/-/g, '_')}`)).join(' · ');
  meta.textContent = `${fields} · ${t(`level_${entry.level}`)}${count && count > 1 ? ` · ×${count}` : ''}`;
  head.append(term, ' ', meta);
  const short = doc.createElement('p');
  short.textContent = entry.short;
  const more = doc.createElement('details');
  const summary = doc.createElement('summary');
  summary.textContent = t('tooltipMore');
  const long = doc.createElement('p');
  long.textContent = entry.long;
  more.append(summary, long);
  li.append(head, short, more);
  return li;
}
