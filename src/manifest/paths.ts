// Rules for file paths inside a manifest: relative, normalized, portable, and shown as they are:
// no character that hides, reorders or disguises what the audit or a UI displays.

/**
 * Whether `path` is written as a location of its own (`https://host/...`, `//host/...`, `data:`,
 * `blob:`, a UNC path) rather than a file in the model's folder: a manifest meant to send the
 * browser elsewhere. (Loads resolve paths inside the model's folder, so it would not get there.)
 */
export function pointsElsewhere(path: string): boolean {
  return (
    /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(path) ||
    /^(data|blob|javascript|file):/i.test(path) ||
    path.startsWith('//') ||
    path.startsWith('\\\\')
  );
}

/**
 * Characters a path may not hold: controls (C0, DEL, C1), format characters (bidirectional
 * overrides and isolates, zero-width characters, the BOM, soft hyphens), line and paragraph
 * separators, other default-ignorable ones (variation selectors, fillers), lone surrogates,
 * private-use and unassigned code points, and every space but U+0020.
 */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}\p{Cn}\p{Default_Ignorable_Code_Point}]|[^\S ]/u;

const hex = (c: string) => c.codePointAt(0)!.toString(16).toUpperCase();

/** `path` in quotes, with every character outside printable ASCII escaped (`\u{202E}`), so a message shows it as it is. */
export function visiblePath(path: string): string {
  let out = '';
  for (const c of path) out += c === '"' || c === '\\' ? `\\${c}` : /^[\x20-\x7e]$/.test(c) ? c : `\\u{${hex(c)}}`;
  return `"${out}"`;
}

/** Returns why `path` is not acceptable, or undefined when it is. */
export function pathProblem(path: string): string | undefined {
  if (path.length === 0) return 'is empty';
  const hidden = HIDDEN.exec(path)?.[0];
  if (hidden !== undefined)
    return `contains an invisible, format or control character U+${hex(hidden).padStart(4, '0')}`;
  if (path.normalize('NFC') !== path) return 'is not in Unicode NFC form';
  if (path.includes('\\')) return 'contains a backslash';
  if (path.startsWith('/')) return 'is absolute';
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(path)) return 'has a scheme or drive letter';
  if (/[?#%]/.test(path)) return 'contains a control character, ? # or %';
  const parts = path.split('/');
  if (parts.some((p) => p === '..')) return 'contains ..';
  if (parts.some((p) => p === '' || p === '.')) return 'is not normalized';
  // the model servers never serve a name starting with "." (.env, .git/): listing one publishes it
  if (parts.some((p) => p.startsWith('.'))) return 'has a hidden name (a part starting with ".")';
  // Windows drops trailing dots and spaces: "model.onnx." would be "model.onnx" on disk
  if (parts.some((p) => /[. ]$/.test(p))) return 'has a part that ends in a dot or space';
  if (parts.some((p) => p.startsWith(' '))) return 'has a part that starts with a space';
  return undefined;
}

/**
 * The form two paths share when they differ only in case (or in compatibility forms such as
 * full-width letters): on a case-insensitive disk, and to a reader, they are one file.
 */
export function caseTwinKey(path: string): string {
  return path.normalize('NFKC').toUpperCase().toLowerCase();
}

const ID_PART = /^[a-z0-9][a-z0-9._-]{0,127}$/i;

/** Model ids name a folder under the model base: `name` or `org/name` (as Hugging Face writes them). */
export function modelIdProblem(id: string): string | undefined {
  const parts = id.split('/');
  return parts.length <= 2 && parts.every((p) => ID_PART.test(p) && !p.includes('..'))
    ? undefined
    : 'must be name or org/name, each part 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit';
}
