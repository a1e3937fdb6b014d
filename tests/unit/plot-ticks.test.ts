import { describe, expect, it } from 'vitest';
import { tickLabels } from '../../src/components/ui/plot-ticks';

describe('plot tick labels', () => {
  it('tells small learning rates apart (ticks a plot of a 3e-4 run gets)', () => {
    expect(tickLabels([0, 0.0001, 0.0002, 0.0003])).toEqual(['0', '1e-4', '2e-4', '3e-4']);
    expect(tickLabels([0.00005, 0.00015, 0.00025])).toEqual(['5e-5', '1.5e-4', '2.5e-4']);
  });
  it('tells ticks near 1e-2 apart and writes each exactly', () => {
    expect(tickLabels([0.0096, 0.0098, 0.01])).toEqual(['0.0096', '0.0098', '0.01']);
    expect(tickLabels([0.5, 1, 1.5, 2])).toEqual(['0.5', '1', '1.5', '2']);
    expect(tickLabels([0, 0.1 + 0.2, 0.6000000000000001])).toEqual(['0', '0.3', '0.6']);
  });
  it('keeps plain numbers plain', () => {
    expect(tickLabels([0, 50, 100, 150])).toEqual(['0', '50', '100', '150']);
    expect(tickLabels([-0.2, 0, 0.2])).toEqual(['-0.2', '0', '0.2']);
  });
});
