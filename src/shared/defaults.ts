// Facts the page, the worker, the Vite plugin and the server must agree on, written once.

/** Where the models are served on the model origin: the runtime's `modelBase`, the server's and the plugin's `modelsPath`. */
export const DEFAULT_MODEL_BASE = '/models/';

/** Where onnxruntime-web's runtime files are served: the runtime's `runtimeBase`, and the server's and the plugin's. */
export const DEFAULT_RUNTIME_BASE = '/airlock/ort/';
