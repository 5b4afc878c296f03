// The unified social credit code (统一社会信用代码, GB 32100-2015): 18
// characters from a 31-character set (no I, O, S, V, Z), the last a check
// character over the first 17 with fixed weights. The server checks it again
// (validate.USCC); checking here saves a round trip and says which position
// is wrong while the unit is still typing.

export const usccAlphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character of the first 17 characters, or null if one of them is not in the alphabet. */
export function usccCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = usccAlphabet.indexOf(first17[i]);
    if (v < 0) return null;
    sum += v * weights[i];
  }
  return usccAlphabet[(31 - (sum % 31)) % 31];
}

export type UsccProblem =
  | { kind: 'length'; length: number }
  | { kind: 'fullWidth'; position: number }
  | { kind: 'character'; position: number; char: string }
  | { kind: 'check'; want: string; got: string };

const fullWidth = (c: string) => {
  const n = c.codePointAt(0) ?? 0;
  return n >= 0xff01 && n <= 0xff5e;
};

/** What is wrong with a code, or null when it is valid. Lower-case letters are not accepted (normalise first). */
export function usccProblem(code: string): UsccProblem | null {
  const chars = Array.from(code);
  if (chars.length !== 18) return { kind: 'length', length: chars.length };
  for (let i = 0; i < 18; i++) {
    if (fullWidth(chars[i])) return { kind: 'fullWidth', position: i + 1 };
    if (usccAlphabet.indexOf(chars[i]) < 0) return { kind: 'character', position: i + 1, char: chars[i] };
  }
  const want = usccCheckChar(chars.slice(0, 17).join(''))!;
  if (chars[17] !== want) return { kind: 'check', want, got: chars[17] };
  return null;
}

/** Trims and upper-cases what was typed (the alphabet has capitals only). */
export function normaliseUscc(s: string): string {
  return s.trim().replace(/\s+/g, '').toUpperCase();
}
