/** Fills `{name}` placeholders of a UI string from a lab's string table (src/i18n/en/<lab>.json). */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, key: string) => (key in values ? String(values[key]) : m));
}
