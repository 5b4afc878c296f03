// A unit test of the browser's USCC check (src/pages/applications/uscc.ts),
// run by Playwright's runner with no browser: the same GB 32100 check
// character as the server's validate.USCC (validate/validate_test.go).
import { test, expect } from '@playwright/test';
import { normaliseUscc, usccCheckChar, usccProblem } from '../src/pages/applications/uscc';

test('uscc: valid codes pass', () => {
  // The example of GB 32100-2015, and two more computed by validate.USCCCheckChar.
  for (const c of ['91350100M000100Y43', '91110000600037341L', '91220104MA0Y12345K']) {
    expect(usccProblem(c), c).toBeNull();
  }
});

test('uscc: the check character is computed over the first 17', () => {
  expect(usccCheckChar('91350100M000100Y4')).toBe('3');
  expect(usccCheckChar('91350100I000100Y4')).toBeNull();
});

test('uscc: a wrong check character names the right one', () => {
  expect(usccProblem('91350100M000100Y44')).toEqual({ kind: 'check', want: '3', got: '4' });
  expect(usccProblem('9135010000000000SZ')).toEqual({ kind: 'character', position: 17, char: 'S' });
});

test('uscc: length, forbidden letters and full-width characters are told apart', () => {
  expect(usccProblem('91350100M000100Y4')).toEqual({ kind: 'length', length: 17 });
  expect(usccProblem('91350100I000100Y43')).toEqual({ kind: 'character', position: 9, char: 'I' });
  expect(usccProblem('９1350100M000100Y43')).toEqual({ kind: 'fullWidth', position: 1 });
});

test('uscc: typing is normalised', () => {
  expect(normaliseUscc(' 91350100m000100y43 ')).toBe('91350100M000100Y43');
});
