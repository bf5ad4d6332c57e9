import { LmmError } from "@lmm/core";

/**
 * Hex SHA-256 of a string's UTF-8 bytes with Web Crypto (`globalThis.crypto.subtle`: Node ≥ 20 and
 * every modern browser; in browsers only in secure contexts, https or localhost).
 *
 * @example
 * ```ts
 * await sha256Hex("abc"); // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
 * ```
 */
export async function sha256Hex(text: string): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new LmmError("NO_WEB_CRYPTO", "Web Crypto (crypto.subtle) is not available here; in browsers it needs a secure context (https or localhost)");
  const digest = await subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
