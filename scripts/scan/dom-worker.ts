/**
 * One thread of the dom engine's pool (dom-pool.ts): its own parser and rule engine, one page at a
 * time. Packs arrive already checked by the main thread (scripts/scan/packs.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { RulePack } from '../../rules/schema';
import { DomEngine, type DomLibrary } from './dom-engine';
import type { PoolReply, PoolTask } from './dom-pool';

const { packs, library } = workerData as { packs: RulePack[]; library: DomLibrary };
const engine = new DomEngine(packs, library);
const port = parentPort!;

port.on('message', (task: PoolTask) => {
  let reply: PoolReply;
  try {
    reply = { id: task.id, result: engine.scan(task.url, task.html) };
  } catch (error) {
    reply = { id: task.id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
