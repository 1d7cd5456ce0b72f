/** A UTC time as people read it: `2026-12-04 09:12 UTC`. */
export const utcMinute = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** A duration as people read it, its two largest units: `3 d 4 h`, `5 h 2 min`, `7 min 30 s`, `45 s`. */
export const humanDuration = (seconds: number): string => {
  const s = Math.max(0, Math.round(seconds));
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes} min`;
  if (minutes > 0) return `${minutes} min ${s % 60} s`;
  return `${s} s`;
};

/** An exposure window: `3 d 4 h, since 2026-12-04 09:12 UTC` while open, `12 h 0 min, until 2026-12-01 10:00 UTC` once closed. */
export const exposureText = (exposure: { from: string | null; to: string | null; seconds: number | null }): string => {
  if (exposure.seconds === null) return exposure.from === null ? '' : `since ${utcMinute(exposure.from)}`;
  const duration = humanDuration(exposure.seconds);
  if (exposure.to !== null) return `${duration}, until ${utcMinute(exposure.to)}`;
  return exposure.from === null ? duration : `${duration}, since ${utcMinute(exposure.from)}`;
};
