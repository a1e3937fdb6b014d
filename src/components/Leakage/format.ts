export const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

/** One colour per subject: golden-angle hues, so neighbouring subject numbers differ clearly. */
export const subjectColour = (s: number) => `hsl(${Math.round((s * 137.508) % 360)} 70% 45%)`;
