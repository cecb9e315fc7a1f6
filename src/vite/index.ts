// `airlock/vite`: what an app built with Vite needs to run Airlock. Node only.
import type { Logger, Plugin } from 'vite';
import { emittedFolder, runtimeAssets } from './emit.js';
import { airlockFiles, pageHeaders } from './middleware.js';
import { modelsDirProblem, resolveOptions, type AirlockPluginOptions, type ResolvedOptions } from './options.js';
import { runtimeFilePaths } from '../node/ort-files.js';

export type { AirlockPluginOptions } from './options.js';
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
    },
    configureServer(server) {
      warnAboutModels(resolved, server.config.logger);
      const headers = pageHeaders(resolved, false);
      if (headers) server.middlewares.use(headers);
      server.middlewares.use(airlockFiles(resolved));
    },
    configurePreviewServer(server) {
      warnAboutModels(resolved, server.config.logger);
      const headers = pageHeaders(resolved, true);
      if (headers) server.middlewares.use(headers);
      server.middlewares.use(airlockFiles(resolved));
    },
    generateBundle() {
      // the page's bundle only; a server bundle never loads ORT
      if (ssr || this.environment?.config.consumer === 'server') return;
      for (const asset of runtimeAssets(files, emittedFolder(resolved.runtimeBase, base))) {
        this.emitFile({ type: 'asset', ...asset });
      }
    },
  };
}

export default airlock;
