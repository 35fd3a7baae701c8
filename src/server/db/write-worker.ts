import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { TransportedError } from './write-operation';

/**
 * The HTTP thread's side of SQLite's write worker (issue 15, item 6). Under 64 clients, SQL execution was 37% of
 * the one thread that also parses, validates and answers every request, and requests queued behind each group
 * commit; with the writes of named operations on a thread of their own, the HTTP thread goes on reading requests
 * while a group is written. Whole operations cross, not statements: a statement's round trip to a worker cost
 * 86 µs against 0.7 µs in-thread (measured), more than most statements themselves.
 *
 * The thread starts on the first call, in the background; until it is ready (or if it cannot start), callers
 * write on their own thread. One that stops after starting is started again on the next call.
 */

export interface WriteWorkerData {
  file: string;
  /** The module whose `writeOperations` the thread loads. */
  operations: string;
}
export interface WorkerRequest {
  id: number;
  name: string;
  input: unknown;
}
export type WorkerReply =
  | { ready: true }
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: TransportedError };

/** An operation failed in the worker; `error` is what it threw there. */
export class WorkerFailure extends Error {
  constructor(readonly error: TransportedError) {
    super(error.message);
  }
}

/** 'unavailable': its thread could not start (its modules did not load); writes stay on the HTTP thread. */
export type WriteWorkerState = 'not started' | 'starting' | 'running' | 'unavailable';

export interface WriteWorker {
  /** Whether calls can go to the thread now; asking starts it if it is not running. */
  available(): boolean;
  state(): WriteWorkerState;
  call(name: string, input: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

const extension = path.extname(__filename);
const THREAD_ENTRY = path.join(__dirname, `write-worker-thread${extension}`);
// Plain JavaScript, evaluated: under tsx and jest alike the thread registers tsx itself to load the TypeScript
// sources (a worker inherits neither's loader), and a compiled build needs nothing.
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
if (workerData.tsx) require(workerData.tsx).register();
require(workerData.entry);
`;

/** The process's flags that the thread shares (a profile of it; its heap's size), not tsx's or jest's loaders. */
const PASSED_ON = /^--(cpu-prof|heap-prof|max-old-space-size|stack-size)/;

export function startWriteWorker(file: string, operations: string): WriteWorker {
  let worker: Worker | undefined;
  let ready = false;
  // A thread that never became ready (a module that fails to load) is not tried again.
  let unusable = false;
  let nextId = 0;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();

  const start = () => {
    const thread = new Worker(BOOTSTRAP, {
      eval: true,
      execArgv: process.execArgv.filter((flag) => PASSED_ON.test(flag)),
      workerData: {
        file,
        operations,
        entry: THREAD_ENTRY,
        tsx: extension === '.ts' ? require.resolve('tsx/cjs/api') : undefined,
      },
    });
    thread.unref();
    thread.on('message', (reply: WorkerReply) => {
      if ('ready' in reply) {
        ready = true;
        return;
      }
      const caller = pending.get(reply.id);
      pending.delete(reply.id);
      if (reply.ok) caller?.resolve(reply.value);
      else caller?.reject(new WorkerFailure(reply.error));
    });
    // An error thrown outside an operation ends the thread; 'exit' follows and answers whoever waits.
    thread.on('error', () => undefined);
    thread.on('exit', () => {
      if (!ready) unusable = true;
      ready = false;
      worker = undefined;
      for (const caller of pending.values()) caller.reject(new Error('the SQLite write worker stopped'));
      pending.clear();
    });
    worker = thread;
  };

  return {
    available() {
      if (!worker && !unusable) start();
      return ready;
    },
    state() {
      if (ready) return 'running';
      if (worker) return 'starting';
      return unusable ? 'unavailable' : 'not started';
    },
    call(name, input) {
      const thread = worker;
      if (!thread || !ready) return Promise.reject(new Error('the SQLite write worker is not running'));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        // While a call is under way the thread must keep the process alive, or a CLI's last write would be lost.
        thread.ref();
        try {
          thread.postMessage({ id, name, input } satisfies WorkerRequest);
        } catch (error) {
          // An input that cannot be cloned never reached the thread.
          pending.delete(id);
          reject(error);
        }
      }).finally(() => {
        if (pending.size === 0) worker?.unref();
      });
    },
    async stop() {
      const thread = worker;
      if (!thread) return;
      unusable = true;
      thread.ref();
      const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
      thread.postMessage('stop');
      await exited;
    },
  };
}
