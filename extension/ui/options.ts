import { FIELDS } from '../../shared/glossary/schema';
import type { EntryInfo } from '../glossary/types';
import type { ImportedPackStore } from '../settings/imported-packs';
import type { Settings } from '../settings/schema';
import type { SettingsStore } from '../settings/store';
import { t } from './i18n';

export interface OptionsPageOptions {
  doc: Document;
  /** The bundled entries, to show known terms by name. */
  entries: readonly EntryInfo[];
  settings: SettingsStore;
  packs: ImportedPackStore;
}

type Choice = 'languages' | 'maxLevel' | 'occurrences' | 'style';

/** The options page: every setting saves on change; imports are validated before saving. */
export async function startOptions(opts: OptionsPageOptions): Promise<void> {
  const { doc, settings, packs } = opts;
  const $ = <T extends HTMLElement>(id: string) => doc.getElementById(id) as T;
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, text?: string) => {
    const e = doc.createElement(tag);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const saved = $('saved');
  // One concept has one id in every language: "comet / 彗星".
  const namesOf = (entries: readonly { id: string; term: string }[]) => {
    const map = new Map<string, string>();
    for (const e of entries) map.set(e.id, map.has(e.id) ? `${map.get(e.id)} / ${e.term}` : e.term);
    return map;
  };
  let names = namesOf(opts.entries);

  const save = async (patch: Partial<Settings>) => {
    render(await settings.update(patch));
    saved.textContent = t('optionsSaved');
  };

  const fieldBox = $('fields');
  for (const field of FIELDS) {
    const label = el('label');
    const box = el('input');
    box.type = 'checkbox';
    box.value = field;
    box.addEventListener(
      'change',
      () =>
        void save({
          fields: [...fieldBox.querySelectorAll<HTMLInputElement>('input:checked')].map(
            (b) => b.value as Settings['fields'][number],
          ),
        }),
    );
    label.append(box, ` ${t(`field_${field.replace(/-/g, '_')}`)}`);
    fieldBox.append(label);
  }
  for (const name of ['languages', 'maxLevel', 'occurrences', 'style'] as Choice[]) {
    for (const radio of doc.querySelectorAll<HTMLInputElement>(`input[name="${name}"]`)) {
      radio.addEventListener(
        'change',
        () => void save({ [name]: name === 'maxLevel' ? Number(radio.value) : radio.value } as Partial<Settings>),
      );
    }
  }
  $<HTMLInputElement>('color').addEventListener(
    'change',
    (e) => void save({ color: (e.target as HTMLInputElement).value }),
  );
  $<HTMLInputElement>('hoverDelay').addEventListener('change', (e) => {
    const value = Math.round(Number((e.target as HTMLInputElement).value));
    if (Number.isFinite(value) && value >= 0 && value <= 3000) void save({ hoverDelay: value });
  });

  function render(s: Settings) {
    for (const name of ['languages', 'maxLevel', 'occurrences', 'style'] as Choice[]) {
      for (const radio of doc.querySelectorAll<HTMLInputElement>(`input[name="${name}"]`))
        radio.checked = radio.value === String(s[name]);
    }
    for (const box of fieldBox.querySelectorAll<HTMLInputElement>('input'))
      box.checked = s.fields.includes(box.value as Settings['fields'][number]);
    $<HTMLInputElement>('color').value = s.color;
    $<HTMLInputElement>('hoverDelay').value = String(s.hoverDelay);
    const known = $('known');
    known.replaceChildren(
      ...(s.known.length === 0
        ? [el('li', t('optionsKnownEmpty'))]
        : s.known.map((id) =>
            row(names.get(id) ?? id, t('optionsForget'), () => void save({ known: s.known.filter((k) => k !== id) })),
          )),
    );
    const sites = $('sites');
    sites.replaceChildren(
      ...(s.disabledSites.length === 0
        ? [el('li', t('optionsSitesEmpty'))]
        : s.disabledSites.map((host) =>
            row(
              host,
              t('optionsSiteOn'),
              () => void save({ disabledSites: s.disabledSites.filter((h) => h !== host) }),
            ),
          )),
    );
  }

  function row(label: string, action: string, onClick: () => void): HTMLLIElement {
    const li = el('li');
    const button = el('button', action);
    button.type = 'button';
    button.className = 'link';
    button.addEventListener('click', onClick);
    li.append(el('span', label), button);
    return li;
  }

  async function renderPacks() {
    const list = await packs.list();
    names = namesOf([...opts.entries, ...list.flatMap((p) => p.pack.entries)]);
    $('imported').replaceChildren(
      ...list.map((p) =>
        row(
          `${p.pack.title} (${p.pack.id}, ${p.pack.lang}, ${p.pack.entries.length}) — ${p.file}`,
          t('optionsRemove'),
          async () => {
            await packs.remove(p.pack.id);
            await renderPacks();
          },
        ),
      ),
    );
  }

  $<HTMLInputElement>('pack').addEventListener('change', async (e) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    const result = await packs.importText(file.name, await file.text());
    const errors = $('import-errors');
    if (result.ok) {
      $('import-result').textContent = t('optionsImportOk', [result.pack.title, String(result.pack.entries.length)]);
      errors.replaceChildren();
      await renderPacks();
    } else {
      $('import-result').textContent = t('optionsImportFailed', file.name);
      errors.replaceChildren(...result.errors.map((line) => el('li', line)));
    }
    input.value = '';
  });

  await renderPacks();
  render(await settings.get());
  settings.watch(render);
}
