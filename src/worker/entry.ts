// The dedicated module worker's entry: the worker's contract, exposed to the page with comlink.
import * as Comlink from 'comlink';
import { exposed } from './exposed.js';
import { WorkerApi } from './dispatcher.js';

Comlink.expose(exposed(new WorkerApi()));
