// Where a model's files are: `<modelBase><id>/<path>`, also the store's key for the model.

/** A model's key in the store: its folder URL, `<modelBase><id>/`. */
export function modelKey(modelBase: string, id: string): string {
  return modelUrl(modelBase, id, '');
}

/** `<modelBase><id>/<path>`; an `org/name` id is two folders, each part encoded on its own. */
export function modelUrl(modelBase: string, id: string, path: string): string {
  const folder = id.split('/').map(encodeURIComponent).join('/');
  return new URL(`${folder}/${path}`, modelBase).href;
}
