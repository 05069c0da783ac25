// DI token of the queue driver, in its own file to keep ESM decorator metadata free of cycles.
export const NOTIFICATION_QUEUE = Symbol('NOTIFICATION_QUEUE');
