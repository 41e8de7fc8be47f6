/**
 * Strings of one feature (or of the app), in both languages with the same keys. Each feature's
 * i18n.ts exports one of these; it is registered as an i18next namespace (app/i18n.ts).
 */
export type StringTree = { [key: string]: string | StringTree };

export interface Strings<T extends StringTree = StringTree> {
  'zh-CN': T;
  en: T;
}

/** Checks at compile time that English has exactly the keys of zh-CN. */
export function defineStrings<T extends StringTree>(strings: { 'zh-CN': T; en: NoInfer<T> }): Strings<T> {
  return strings;
}
