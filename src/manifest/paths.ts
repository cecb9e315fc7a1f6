// Rules for file paths inside a manifest: relative, normalized, portable.

/**
 * Whether `path` is written as a location of its own (`https://host/...`, `//host/...`, `data:`,
 * `blob:`, a UNC path) rather than a file in the model's folder: a manifest meant to send the
 * browser elsewhere. (Loads resolve paths inside the model's folder, so it would not get there.)
 */
export function pointsElsewhere(path: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(path) || /^(data|blob|javascript|file):/i.test(path) || path.startsWith('//') || path.startsWith('\\\\');
}

/** Returns why `path` is not acceptable, or undefined when it is. */
export function pathProblem(path: string): string | undefined {
  if (path.length === 0) return 'is empty';
  if (path.includes('\\')) return 'contains a backslash';
  if (path.startsWith('/')) return 'is absolute';
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(path)) return 'has a scheme or drive letter';
  if (/[\u0000-\u001f?#%]/.test(path)) return 'contains a control character, ? # or %';
  const parts = path.split('/');
  if (parts.some((p) => p === '..')) return 'contains ..';
  if (parts.some((p) => p === '' || p === '.')) return 'is not normalized';
  return undefined;
}

const ID_PART = /^[a-z0-9][a-z0-9._-]{0,127}$/i;

/** Model ids name a folder under the model base: `name` or `org/name` (as Hugging Face writes them). */
export function modelIdProblem(id: string): string | undefined {
  const parts = id.split('/');
  return parts.length <= 2 && parts.every((p) => ID_PART.test(p) && !p.includes('..'))
    ? undefined
    : 'must be name or org/name, each part 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit';
}
