// `airlock/vite`: what an app built with Vite needs to run Airlock. Node only.
import type { Logger, Plugin } from 'vite';
import { emittedFolder, runtimeAssets } from './emit.js';
import { airlockFiles, pageHeaders } from './middleware.js';
import { modelsDirProblem, resolveOptions, type AirlockPluginOptions, type ResolvedOptions } from './options.js';
import { runtimeFilePaths } from '../node/ort-files.js';
import { bundleFiles, devShell, fillShell, shellManifest } from './offline-shell.js';
import { shellTemplate } from './offline-template.js';
import { publicFiles } from './offline-public.js';

export type { AirlockPluginOptions } from './options.js';
export type { OfflineBuildOptions } from './offline-shell.js';
export { STRICT_CSP } from '../node/serve/headers.js';
export { WORKER_RUNTIME_FILES } from '../node/ort-files.js';

/** Says at start-up when the models folder cannot serve a model. */
function warnAboutModels(options: ResolvedOptions, logger: Logger): void {
  const problem = modelsDirProblem(options);
  if (problem) logger.warn(problem, { timestamp: true });
}

export function airlock(options: AirlockPluginOptions = {}): Plugin {
  // checked now, so that a bad option or a missing runtime file fails when the config loads
  const files = runtimeFilePaths();
  resolveOptions(options, process.cwd());
  let resolved: ResolvedOptions;
  let base = '/';
  let ssr = false;
  let publicDir: string | false = false;

  return {
    name: 'airlock',
    config(user) {
      // The worker is started as a module worker; ES output is what the library's own build and
      // tests use. A format the app sets is kept. (Vite's dep optimizer needs no exclusion: a
      // pre-bundled `airlock` still finds its worker in dev.)
      return user.worker?.format ? {} : { worker: { format: 'es' } };
    },
    configResolved(config) {
      resolved = resolveOptions(options, config.root);
      base = config.base;
      ssr = Boolean(config.build.ssr);
      publicDir = config.build.copyPublicDir && config.publicDir;
    },
    configureServer(server) {
      warnAboutModels(resolved, server.config.logger);
      const headers = pageHeaders(resolved, false);
      if (headers) server.middlewares.use(headers);
      server.middlewares.use(airlockFiles(resolved));
      if (resolved.offline) server.middlewares.use(devShell(base, resolved.offline));
    },
    configurePreviewServer(server) {
      warnAboutModels(resolved, server.config.logger);
      const headers = pageHeaders(resolved, true);
      if (headers) server.middlewares.use(headers);
      server.middlewares.use(airlockFiles(resolved));
    },
    generateBundle: {
      // after the other plugins (Vite's own emits the HTML pages here), so the shell's list is whole
      order: 'post',
      async handler(_output, bundle) {
        // the page's bundle only; a server bundle never loads ORT
        if (ssr || this.environment?.config.consumer === 'server') return;
        const runtime = runtimeAssets(files, emittedFolder(resolved.runtimeBase, base));
        for (const asset of runtime) this.emitFile({ type: 'asset', ...asset });
        const { offline } = resolved;
        if (!offline) return;
        // files emitted in this hook are not in `bundle` yet, nor the public folder's: both are added by hand
        const output = [
          ...Object.values(bundle),
          ...runtime,
          ...publicFiles(publicDir, base, resolved.modelsPath, offline),
        ];
        const listed = bundleFiles(output, base, resolved.modelsPath, offline);
        const source = fillShell(await shellTemplate(), shellManifest(listed, resolved.modelsPath));
        this.emitFile({ type: 'asset', fileName: offline.fileName, source });
      },
    },
  };
}

export default airlock;
