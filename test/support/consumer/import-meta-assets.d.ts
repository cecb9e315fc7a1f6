// The plugin ships its types at a path its package.json "exports" does not name.
declare module '@web/rollup-plugin-import-meta-assets' {
  import type { Plugin } from 'rollup';
  export function importMetaAssets(options?: {
    include?: string | string[];
    exclude?: string | string[];
    warnOnError?: boolean;
  }): Plugin;
}
