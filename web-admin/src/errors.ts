// Server errors in the user's language. The server localises every
// message by Accept-Language (sent from the UI language, src/client.ts) and
// names it with extensions.messageKey and extensions.params; without them
// (a network failure, a proxy's answer) the UI falls back to its own text
// for extensions.code. A message that is not in the UI's language (no Han
// character for a Chinese UI) is never shown: the code's text is.
import type { CombinedError } from 'urql';
import i18n from './i18n';

export interface ServerError {
  code?: string;
  messageKey?: string;
  field?: string;
  message: string;
}

const han = /[\u3400-\u9fff]/;

function fromCode(code: string | undefined): string {
  if (code && i18n.exists(`errors.code.${code}`)) return i18n.t(`errors.code.${code}`);
  return i18n.t('errors.unknown');
}

/** Every error of a result, ready to show. */
export function serverErrors(error: CombinedError | undefined | null): ServerError[] {
  if (!error) return [];
  if (error.networkError && error.graphQLErrors.length === 0) {
    return [{ message: i18n.t('errors.network') }];
  }
  return error.graphQLErrors.map((e) => {
    const ext = (e.extensions ?? {}) as Record<string, unknown>;
    const code = typeof ext.code === 'string' ? ext.code : undefined;
    const messageKey = typeof ext.messageKey === 'string' ? ext.messageKey : undefined;
    const field = typeof ext.field === 'string' ? ext.field : undefined;
    const zh = i18n.language !== 'en';
    const usable = messageKey && e.message && (!zh || han.test(e.message));
    return { code, messageKey, field, message: usable ? e.message : fromCode(code) };
  });
}

/** One line for a message or an alert. */
export function errorText(error: CombinedError | undefined | null): string {
  return serverErrors(error).map((e) => e.message).join('；');
}

/** A failed HTTP answer of a file download (an export's downloadUrl). */
export class DownloadError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

/**
 * What to tell the person when a download failed: no permission, a file
 * that is no longer there (export again), an ended session, or try again.
 */
export function downloadErrorText(e: unknown): string {
  if (!(e instanceof DownloadError)) return i18n.t('errors.network');
  if (e.status === 401) return i18n.t('errors.sessionExpired');
  if (e.status === 403) return i18n.t('errors.download.forbidden');
  if (e.status === 404 || e.status === 410) return i18n.t('errors.download.gone');
  if (e.status === 429 || e.status === 503) return i18n.t('errors.code.OVERLOADED');
  return i18n.t('errors.download.failed');
}

export function hasCode(error: CombinedError | undefined | null, code: string): boolean {
  return !!error?.graphQLErrors.some((e) => e.extensions?.code === code);
}
