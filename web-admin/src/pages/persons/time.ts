import dayjs from 'dayjs';

/** A time as 2026-12-05 15:04 in the browser's zone, or — when missing. */
export const fmtTime = (s: string | null | undefined) => (s ? dayjs(s).format('YYYY-MM-DD HH:mm') : '—');
