/**
 * The email check users-service applies (`services/users/src/domain/email.rs`), run before
 * sending so a typo is pointed out at once; the service still decides.
 */
const FORBIDDEN = /[\s\p{Cc}\u202A-\u202E\u2066-\u2069]/u;

export function isEmailAddress(raw: string): boolean {
  if (raw.length === 0 || [...raw].length > 254 || FORBIDDEN.test(raw)) return false;
  const at = raw.indexOf("@");
  if (at < 0) return false;
  const local = raw.slice(0, at);
  const domain = raw.slice(at + 1);
  const domainOk = domain.includes(".") && !domain.startsWith(".") && !domain.endsWith(".") && !domain.includes("..") && !domain.includes("@");
  return local.length > 0 && [...local].length <= 64 && domainOk;
}
