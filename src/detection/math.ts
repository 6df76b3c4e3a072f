/** Clamps to [0, 1]; NaN becomes 0 so a bad input can never raise a score. */
export function clamp01(x: number): number {
  return x > 0 ? Math.min(x, 1) : 0;
}

/** 0 at or below lo, 1 at or above hi, linear (so continuous and non-decreasing) between. */
export function ramp(x: number, lo: number, hi: number): number {
  return clamp01((x - lo) / (hi - lo));
}

export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(Math.max(x, lo), hi);
}

/** Kills plus assists per death; no deaths count as one, as the client shows it. */
export function kdaOf(kills: number, deaths: number, assists: number): number {
  return (kills + assists) / Math.max(1, deaths);
}

export const pct = (x: number): string => `${Math.round(x * 100)}%`;
export const num = (x: number, digits = 1): string => x.toFixed(digits);
/** With its sign, and never "-0.0". */
export function signed(x: number, digits = 1): string {
  const text = x.toFixed(digits);
  return Number(text) === 0 ? `+${(0).toFixed(digits)}` : `${x > 0 ? '+' : ''}${text}`;
}
