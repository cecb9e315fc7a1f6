// The dedicated module worker's entry: one WorkerApi, exposed to the page with comlink.
import * as Comlink from 'comlink';
import { WorkerApi } from './dispatcher.js';

Comlink.expose(new WorkerApi());
