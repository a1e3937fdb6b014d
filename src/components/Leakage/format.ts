/** Fills `{name}` placeholders of a UI string from the lab's i18n table. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, key: string) => (key in values ? String(values[key]) : m));
}

export const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

/** One colour per subject: golden-angle hues, so neighbouring subject numbers differ clearly. */
export const subjectColour = (s: number) => `hsl(${Math.round((s * 137.508) % 360)} 70% 45%)`;
