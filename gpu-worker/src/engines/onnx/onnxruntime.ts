// The one place onnxruntime-node is loaded: telemetry is switched off before the runtime starts.
import './disable-telemetry';

export * as ort from 'onnxruntime-node';
