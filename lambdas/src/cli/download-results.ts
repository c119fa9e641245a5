import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { ApiClient } from './api-client';

/** A result file name as the server lists it, accepted only when it cannot leave the output folder. */
const SAFE_FILE_NAME = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,200}$/;

/** Folder names already handed out in this run (two inputs may share a base name). */
export class OutputFolders {
  private readonly used = new Set<string>();
  constructor(private readonly outDir: string) {}

  /** `<outDir>/<image name without extension>`, with the job id's start appended on a clash. */
  folderFor(imagePath: string, jobId: string): string {
    const stem = path.basename(imagePath).replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9._ -]/g, '_') || 'image';
    const name = this.used.has(stem) ? `${stem}-${jobId.slice(0, 8)}` : stem;
    this.used.add(name);
    return path.join(this.outDir, name);
  }
}

/** Download every file of a succeeded job's current result version into `folder`; returns the file names. */
export async function downloadResults(client: ApiClient, jobId: string, folder: string): Promise<string[]> {
  const results = await client.getResults(jobId);
  await mkdir(folder, { recursive: true });
  const names: string[] = [];
  for (const file of results.files) {
    if (!SAFE_FILE_NAME.test(file.name)) {
      throw new Error(`Expected a plain result file name from the server but received ${JSON.stringify(file.name.slice(0, 80))}`);
    }
    await client.download(file.url, path.join(folder, file.name));
    names.push(file.name);
  }
  return names;
}
