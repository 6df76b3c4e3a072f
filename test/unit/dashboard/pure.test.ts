import { expect, it } from 'vitest';
import { pure } from '../../../src/dashboard/pure.ts';

it('a pure panel is drawn again only when a prop is another value', () => {
  const Panel = pure((_props: { rows: number[]; loaded: boolean; extra?: string }) => null);
  const rows = [1, 2];
  const panel = new Panel({ rows, loaded: true });
  panel.props = { rows, loaded: true };
  expect(panel.shouldComponentUpdate({ rows, loaded: true })).toBe(false);
  expect(panel.shouldComponentUpdate({ rows: [1, 2], loaded: true })).toBe(true);
  expect(panel.shouldComponentUpdate({ rows, loaded: false })).toBe(true);
  expect(panel.shouldComponentUpdate({ rows, loaded: true, extra: 'x' })).toBe(true);
});
