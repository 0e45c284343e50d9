// Preloaded into the benchmarked worker (node --require; worker threads inherit it): every second
// each thread overwrites MEMORY_PROBE_FILE.<threadId> with its V8 heap figures, so the benchmark
// can tell the main isolate, the workflow thread's isolate and native memory (Rust core, code,
// malloc) apart. A file, not a signal: the Temporal runtime treats SIGUSR2 as a shutdown signal.
const fs = require('node:fs');
const { threadId } = require('node:worker_threads');
const v8 = require('node:v8');
const file = process.env.MEMORY_PROBE_FILE;
if (file) {
  setInterval(() => {
    const heap = v8.getHeapStatistics();
    const usage = threadId === 0 ? process.memoryUsage() : {};
    // Written aside, then renamed: the benchmark never reads half a file.
    fs.writeFileSync(`${file}.${threadId}.tmp`, JSON.stringify({ threadId, heapTotal: heap.total_heap_size, heapUsed: heap.used_heap_size, external: heap.external_memory, ...usage }));
    fs.renameSync(`${file}.${threadId}.tmp`, `${file}.${threadId}`);
  }, 1000).unref();
}
