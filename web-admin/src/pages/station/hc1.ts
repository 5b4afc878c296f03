// Reading a health code's payload without verifying it (token/doc.go:
// "HC1:" + base64url(payload ‖ 64-byte Ed25519 signature)). Offline the
// station cannot check the signature nor the person's record, so it never
// decides a colour from this (the server does, when the scan is uploaded);
// it only tells the scanner what the code itself claims and whether it has
// already expired, which the server would refuse (TOKEN_EXPIRED).

export interface CodeClaims {
  kind: 'PERSON' | 'SITE';
  colour: 'GREEN' | 'YELLOW' | 'ORANGE' | 'RED' | null;
  issuer: string;
  issuedAt: Date;
  expiresAt: Date;
}

const colours = [null, 'GREEN', 'YELLOW', 'ORANGE', 'RED'] as const;

function base64url(s: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]+$/.test(s)) return null;
  try {
    const b = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4));
    return Uint8Array.from(b, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** The claims of an HC1 token, or null when it is not one (or malformed). */
export function readCode(token: string): CodeClaims | null {
  const t = token.trim();
  if (!t.startsWith('HC1:')) return null;
  const raw = base64url(t.slice(4));
  if (!raw || raw.length < 22 + 1 + 64 || raw[0] !== 1) return null;
  const n = raw[21];
  if (raw.length !== 22 + n + 64) return null;
  const view = new DataView(raw.buffer);
  const kind = raw[1] === 1 ? 'PERSON' : raw[1] === 2 ? 'SITE' : null;
  if (!kind) return null;
  const colour = colours[raw[2]] ?? null;
  const issuedAt = new Date(view.getUint32(13) * 1000);
  const expiresAt = new Date(view.getUint32(17) * 1000);
  const issuer = String.fromCharCode(...raw.slice(22, 22 + n));
  return { kind, colour: kind === 'PERSON' ? colour : null, issuer, issuedAt, expiresAt };
}
