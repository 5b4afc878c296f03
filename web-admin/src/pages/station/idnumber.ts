// The resident identity number (居民身份证号码, GB 11643-1999) checked at the
// door before a MANUAL registration is queued (seed 001 §5 无码人员…测温登记):
// the same rules as the server's validate.ResidentIDAt, so a typing error is
// caught while the person is still there, not when an offline queue drains.

const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const checkChars = '10X98765432';
// GB/T 2260 province-level prefixes, and those of Taiwan (71, 83), Hong Kong (81), Macao (82).
const provinces = new Set(
  '11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83'.split(' '),
);

/** The ISO 7064 MOD 11-2 check character of the first 17 digits. */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * weights[i];
  return checkChars[sum % 11];
}

export type ResidentIdProblem = 'length' | 'digits' | 'region' | 'birth' | 'check';

/** Why the number is not a valid resident ID number, or null when it is. */
export function residentIdProblem(raw: string, today = new Date()): ResidentIdProblem | null {
  const id = raw.trim().toUpperCase();
  if (id.length !== 18) return 'length';
  if (!/^\d{17}[\dX]$/.test(id)) return 'digits';
  if (!provinces.has(id.slice(0, 2))) return 'region';
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  const real = birth.getUTCFullYear() === y && birth.getUTCMonth() === m - 1 && birth.getUTCDate() === d;
  const todayUTC = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  if (!real || y < 1900 || birth.getTime() > todayUTC) return 'birth';
  if (residentIdCheckChar(id) !== id[17]) return 'check';
  return null;
}
