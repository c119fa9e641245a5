import path from 'node:path';
import { ort } from './onnxruntime';
import { RestainError } from '@restain/shared';
import type { ModelManifest } from './manifest';
import { listModelFiles } from './read-model-folder';

/** onnxruntime session settings an engine is built with (recorded in its parameters). */
export interface SessionSettings {
  readonly device: 'cpu' | 'cuda';
  /** Threads per session for one operator; 0 lets onnxruntime choose (all cores). */
  readonly intraOpThreads: number;
  readonly graphOptimizationLevel: 'disabled' | 'basic' | 'extended' | 'all';
  readonly enableCpuMemArena: boolean;
}

export interface OpenedSessions {
  /** One session per distinct ONNX file, keyed by the manifest's file name. */
  readonly sessions: ReadonlyMap<string, ort.InferenceSession>;
  /** What actually runs the nets: 'cuda' only if CUDA was asked for and loaded. */
  readonly executionProvider: 'cpu' | 'cuda';
}

function sessionOptions(settings: SessionSettings, providers: string[]): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: providers,
    intraOpNumThreads: settings.intraOpThreads,
    // The nets run one after another on this thread; inter-op parallelism would only oversubscribe.
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: settings.graphOptimizationLevel,
    enableCpuMemArena: settings.enableCpuMemArena,
  };
}

async function createSession(filePath: string, options: ort.InferenceSession.SessionOptions): Promise<ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(filePath, options);
  } catch (error) {
    throw new RestainError('MODEL_INVALID', `Expected a loadable ONNX model at ${filePath} but onnxruntime failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * Opens one ONNX file on the requested device. onnxruntime-node throws (rather than falling back)
 * when CUDA is absent, so with device 'cuda' a failure logs one line and the file opens on the CPU.
 */
export async function openSessionOnDevice(
  filePath: string,
  settings: SessionSettings,
  modelName: string,
  log: (line: string) => void,
): Promise<{ session: ort.InferenceSession; executionProvider: 'cpu' | 'cuda' }> {
  if (settings.device === 'cuda') {
    try {
      return { session: await ort.InferenceSession.create(filePath, sessionOptions(settings, ['cuda', 'cpu'])), executionProvider: 'cuda' };
    } catch (error) {
      const reason = (error as Error).message.split('\n')[0];
      log(`restain: CUDA requested for model ${modelName} but onnxruntime could not load it (${reason}); running on CPU`);
    }
  }
  return { session: await createSession(filePath, sessionOptions(settings, ['cpu'])), executionProvider: 'cpu' };
}

/**
 * Opens every ONNX file of a model folder: the first on the requested device (CUDA falls back to
 * the CPU with one logged line), the rest on whatever the first got.
 */
export async function openSessions(
  modelDir: string,
  manifest: ModelManifest,
  settings: SessionSettings,
  log: (line: string) => void,
): Promise<OpenedSessions> {
  const files = listModelFiles(manifest);
  const sessions = new Map<string, ort.InferenceSession>();
  const first = await openSessionOnDevice(path.join(modelDir, files[0]), settings, manifest.name, log);
  sessions.set(files[0], first.session);
  const { executionProvider } = first;
  const providers = executionProvider === 'cuda' ? ['cuda', 'cpu'] : ['cpu'];
  try {
    for (const file of files.slice(1)) {
      sessions.set(file, await createSession(path.join(modelDir, file), sessionOptions(settings, providers)));
    }
    checkNetShapes(manifest, sessions);
  } catch (error) {
    await Promise.all([...sessions.values()].map((s) => s.release()));
    throw error;
  }
  return { sessions, executionProvider };
}

function describe(shape: ReadonlyArray<number | string>): string {
  return `[${shape.join(', ')}]`;
}

function checkTensor(
  metadata: readonly ort.InferenceSession.ValueMetadata[],
  names: readonly string[],
  wanted: string | undefined,
  file: string,
  role: 'input' | 'output',
  inputSize: number,
): void {
  const name = wanted ?? names[0];
  if (wanted === undefined && role === 'input' && names.length !== 1) {
    throw new RestainError('MODEL_INVALID', `${file}: expected one ${role} (or a named one in manifest.json) but it has ${names.length}: ${names.join(', ')}`);
  }
  const meta = metadata.find((m) => m.name === name);
  if (!meta) throw new RestainError('MODEL_INVALID', `${file}: expected an ${role} named ${name} but it has ${names.join(', ')}`);
  if (!meta.isTensor || meta.type !== 'float32') {
    throw new RestainError('MODEL_INVALID', `${file}: expected ${role} ${name} to be a float32 tensor but it is ${meta.isTensor ? meta.type : 'not a tensor'}`);
  }
  const shape = meta.shape;
  const fixed = (dim: number | string, size: number): boolean => typeof dim === 'string' || dim === size;
  const ok = shape.length === 4 && fixed(shape[0], 1) && fixed(shape[1], 3) && fixed(shape[2], inputSize) && fixed(shape[3], inputSize);
  if (!ok) {
    throw new RestainError(
      'MODEL_INVALID',
      `${file}: expected ${role} ${name} of shape [N, 3, ${inputSize}, ${inputSize}] (manifest inputSize ${inputSize}) but it is ${describe(shape)}`,
    );
  }
}

/** Checks every net's named input/output exists and is float32 [N, 3, inputSize, inputSize]. */
function checkNetShapes(manifest: ModelManifest, sessions: ReadonlyMap<string, ort.InferenceSession>): void {
  const nets = [
    ...manifest.translation.map((t) => ({ file: t.file, input: t.input, output: t.output })),
    ...manifest.segmentation.map((s) => ({ file: s.file, input: s.inputName, output: s.outputName })),
  ];
  const fed = new Map<string, Set<string>>();
  for (const net of nets) {
    const session = sessions.get(net.file);
    if (!session) throw new RestainError('MODEL_INVALID', `${net.file}: expected an open session but none was created`);
    checkTensor(session.inputMetadata, session.inputNames, net.input, net.file, 'input', manifest.inputSize);
    checkTensor(session.outputMetadata, session.outputNames, net.output, net.file, 'output', manifest.inputSize);
    fed.set(net.file, (fed.get(net.file) ?? new Set()).add(net.input ?? session.inputNames[0]));
  }
  for (const [file, names] of fed) {
    const missing = sessions.get(file)!.inputNames.filter((name) => !names.has(name));
    if (missing.length > 0) {
      throw new RestainError('MODEL_INVALID', `${file}: expected manifest.json to feed every input but ${missing.join(', ')} would get nothing`);
    }
  }
}
