// A large file's pieces: the SHA-256 of each consecutive `bytes`-long piece (the last one may be
// shorter), written beside the file's own SHA-256 by the admin's tooling from the same bytes. They
// let the browser check a file piece by piece as its pieces come in, off the main path of the
// load (WebCrypto hashes each piece on its own), instead of the whole file again at the end.

/** The piece size `airlock pull` and `airlock manifest` write: the store's default chunk size. */
export const PIECE_BYTES = 4 * 2 ** 20;
/** Piece sizes a manifest may give: powers of two from 1 KiB to 256 MiB (the store's chunk sizes). */
export const MIN_PIECE_BYTES = 2 ** 10;
export const MAX_PIECE_BYTES = 2 ** 28;

export interface FilePieces {
  /** the size of each piece but the last */
  bytes: number;
  /** lowercase hex SHA-256 of each piece, in order */
  sha256: string[];
}

/** How many pieces of `bytes` a file of `size` bytes has. */
export function pieceCount(size: number, bytes: number): number {
  return Math.ceil(size / bytes);
}

/** Whether `bytes` is a piece size a manifest may give. */
export function isPieceSize(bytes: unknown): bytes is number {
  return (
    typeof bytes === 'number' &&
    Number.isSafeInteger(bytes) &&
    bytes >= MIN_PIECE_BYTES &&
    bytes <= MAX_PIECE_BYTES &&
    (bytes & (bytes - 1)) === 0
  );
}
