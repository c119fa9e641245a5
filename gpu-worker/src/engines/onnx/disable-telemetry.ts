/**
 * onnxruntime-node's official Linux builds carry Microsoft's 1DS telemetry: it writes session
 * files (`.ses`, `mat-debug-<pid>.log`) into the temp folder and would try to upload usage events.
 * It reads ORT_DISABLE_TELEMETRY once, when the runtime starts, so every module that loads
 * onnxruntime-node imports this first. A user who wants telemetry sets ORT_DISABLE_TELEMETRY=0.
 */
process.env.ORT_DISABLE_TELEMETRY ??= '1';

export {};
