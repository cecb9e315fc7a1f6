// The dedicated module worker's entry.
import { startWorker } from './start.js';

startWorker();
