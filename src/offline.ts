// `airlock/offline`: the page calls of the offline app shell (kiosks). An entry of its own, so that
// pages that never go offline do not load them before their first model call.
export {
  registerOfflineShell,
  type OfflineShell,
  type OfflineShellOptions,
  type ShellStatus,
} from './page/offline-shell.js';
export {
  offlineReadiness,
  type OfflineReadiness,
  type OfflineReadinessOptions,
  type ModelReadiness,
} from './page/offline-readiness.js';
