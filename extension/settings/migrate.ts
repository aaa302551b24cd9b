import { DEFAULT_SETTINGS, SETTINGS_VERSION, SettingsSchema, type Settings } from './schema';

type Raw = Record<string, unknown>;

/**
 * Steps from one stored version to the next, as Yomitan does: `steps[n]` turns version n into n + 1.
 * Version 0 is anything stored without a version (nothing yet, or hand-edited storage).
 */
const steps: Record<number, (old: Raw) => Raw> = {
  0: (old) => ({ ...old, version: 1 }),
};

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Turns whatever is stored into valid settings. Old versions are migrated step by step; a value
 * that fails validation falls back to its default alone, so one bad key never loses the rest
 * (the reader's known terms above all). A version newer than this code is read the same way.
 */
export function migrateSettings(stored: unknown): Settings {
  if (!isRecord(stored)) return structuredClone(DEFAULT_SETTINGS);
  let raw: Raw = stored;
  let version = typeof raw.version === 'number' && Number.isInteger(raw.version) ? raw.version : 0;
  while (version < SETTINGS_VERSION) {
    const step = steps[version];
    if (!step) break;
    raw = step(raw);
    version++;
  }
  const whole = SettingsSchema.safeParse({ ...raw, version: SETTINGS_VERSION });
  if (whole.success) return whole.data;
  return salvage(raw);
}

function salvage(raw: Raw): Settings {
  const out: Raw = { ...DEFAULT_SETTINGS };
  const shape = SettingsSchema.shape;
  for (const key of Object.keys(shape) as (keyof typeof shape)[]) {
    if (key === 'version' || !(key in raw)) continue;
    const parsed = shape[key].safeParse(raw[key]);
    if (parsed.success) out[key] = parsed.data;
    else if (key === 'known' || key === 'disabledSites' || key === 'fields') {
      // Keep the good items of a list with a few bad ones.
      const item = (
        shape[key] as unknown as { element: { safeParse(v: unknown): { success: boolean; data?: unknown } } }
      ).element;
      const list = Array.isArray(raw[key]) ? (raw[key] as unknown[]) : [];
      out[key] = list.flatMap((v) => {
        const r = item.safeParse(v);
        return r.success ? [r.data] : [];
      });
    }
  }
  return SettingsSchema.parse(out);
}
