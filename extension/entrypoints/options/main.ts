import '../../zod-setup';
import { browser } from '../../browser';
import bundle from 'virtual:scipop-glossary';
import type { EntryInfo } from '../../glossary/types';
import { createImportedPackStore } from '../../settings/imported-packs';
import { createSettingsStore } from '../../settings/store';
import { localizeDocument } from '../../ui/i18n';
import { startOptions } from '../../ui/options';

localizeDocument(document);
void startOptions({
  doc: document,
  entries: bundle.entries.map((json) => JSON.parse(json) as EntryInfo),
  settings: createSettingsStore(browser.storage),
  packs: createImportedPackStore(browser.storage),
});
