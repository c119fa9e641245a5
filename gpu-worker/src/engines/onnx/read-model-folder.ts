import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { RestainError } from '@restain/shared';
import { parseModelManifest, type ModelManifest } from './manifest';

/** The manifest file every model folder holds. */
export const MANIFEST_FILE = 'manifest.json';

/** Every distinct ONNX file the manifest names, in first-mention order. */
export function listModelFiles(manifest: ModelManifest): string[] {
  return [...new Set([...manifest.translation.map((t) => t.file), ...manifest.segmentation.map((s) => s.file)])];
}

/**
 * Reads `<modelDir>/manifest.json` as JSON; throws RestainError MODEL_INVALID when it is absent or
 * not JSON (`kind` names the folder in the message, e.g. "model", "nucleus model").
 */
export async function readManifestJson(modelDir: string, kind = 'model'): Promise<{ json: unknown; manifestPath: string }> {
  const manifestPath = path.join(modelDir, MANIFEST_FILE);
  let raw: string;
  try {
    raw = await readFile(manifestPath, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : String(error);
    throw new RestainError('MODEL_INVALID', `Expected a ${kind} folder with ${MANIFEST_FILE} at ${manifestPath} but ${reason}`, {
      cause: error,
    });
  }
  try {
    return { json: JSON.parse(raw), manifestPath };
  } catch (error) {
    throw new RestainError('MODEL_INVALID', `Expected valid JSON in ${manifestPath} but parsing failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Throws MODEL_INVALID unless `<modelDir>/<file>` is a file. */
export async function checkModelFile(modelDir: string, file: string, manifestPath: string): Promise<void> {
  const filePath = path.join(modelDir, file);
  const info = await stat(filePath).catch(() => null);
  if (!info?.isFile()) {
    throw new RestainError('MODEL_INVALID', `${manifestPath} names ${file}, but ${filePath} is not a file`);
  }
}

/**
 * Reads and validates `<modelDir>/manifest.json` and checks that every ONNX file it names exists;
 * throws RestainError MODEL_INVALID saying which file or field is wrong.
 */
export async function readModelFolder(modelDir: string): Promise<ModelManifest> {
  const { json, manifestPath } = await readManifestJson(modelDir);
  let manifest: ModelManifest;
  try {
    manifest = parseModelManifest(json);
  } catch (error) {
    if (error instanceof RestainError) throw new RestainError(error.code, `${manifestPath}: ${error.message}`, { cause: error });
    throw error;
  }
  for (const file of listModelFiles(manifest)) await checkModelFile(modelDir, file, manifestPath);
  return manifest;
}
