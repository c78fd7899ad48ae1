/**
 * The Istio releases whose Helm charts (`base`, `istiod`, `gateway`) isthmus knows. Checked against
 * Istio's release announcements (istio.io/latest/news/releases/1.30.x: 1.30.0 to 1.30.4; the
 * supported-releases table of April 2026: 1.27 up to 1.27.9, 1.28 up to 1.28.6, 1.29 up to
 * 1.29.2). A version outside the list is refused rather than trusted: `1.30.99` or `2.0.0` would
 * fail at `helm install` after the clusters exist. Add a release here once its charts are checked.
 */

const RELEASES: Readonly<Record<string, number>> = {
  "1.27": 9,
  "1.28": 6,
  "1.29": 2,
  "1.30": 4,
};

/** Every known release, oldest first. */
export const KNOWN_ISTIO_VERSIONS: readonly string[] = Object.entries(RELEASES).flatMap(([minor, last]) =>
  Array.from({ length: last + 1 }, (_, patch) => `${minor}.${patch}`),
);

/** The newest known patch of each minor, for messages. */
export function newestIstioPatches(): string[] {
  return Object.entries(RELEASES).map(([minor, last]) => `${minor}.${last}`);
}
