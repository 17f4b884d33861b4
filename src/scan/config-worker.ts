// A worker thread of ConfigReader: parses the batches of vm.cfg files it is sent and answers in one message each.
import { parentPort, workerData } from "node:worker_threads";
import { type ConfigAnswer, type ConfigRequest, readConfigBytes, type WorkerData } from "./config-reader.js";

parentPort?.on("message", (batch: ConfigRequest[]) => {
  const answers: ConfigAnswer[] = batch.map(({ id, bytes, file }) => ({
    id,
    reading: readConfigBytes(bytes, file),
  }));
  parentPort?.postMessage(answers);
});
Atomics.store((workerData as WorkerData).loaded, 0, 1);
