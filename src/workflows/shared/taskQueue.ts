/** One task queue for every family: the worker is one deployable, scaled by running more of it. */
export const DEFAULT_TASK_QUEUE = 'ordering';
