// Caps on a manifest, checked before any parsing work: a manifest is a short list written by an
// admin's tooling, and one of 400 000 entries would hold a load (and the browser) for seconds.

export interface ManifestLimits {
  /** the most files one manifest may list */
  maxFiles: number;
  /** the most bytes of manifest JSON read from the origin */
  maxBytes: number;
}

export const DEFAULT_MANIFEST_LIMITS: Readonly<ManifestLimits> = { maxFiles: 10_000, maxBytes: 4 * 2 ** 20 };
