/** Dev: time the built-in engine on one 512 tile (npx tsx gpu-worker/dev/profile-builtin-tile.ts [image] [key=value ...] engine options). */
import sharp from 'sharp';
import { createBuiltinEngine } from '../src/engines/builtin';

(async () => {
  const file = process.argv[2] ?? '../shared/data/deepliif-sample/test-ihc/22_2.png';
  const { data, info } = await sharp(file).removeAlpha().resize(512, 512, { fit: 'cover' }).raw().toBuffer({ resolveWithObject: true });
  const tile = { width: info.width, height: info.height, channels: 3 as const, data: new Uint8Array(data) };
  const options: Record<string, unknown> = {};
  for (const kv of process.argv.slice(3)) {
    const [k, v] = kv.split('=');
    options[k] = v === 'true' ? true : v === 'false' ? false : Number(v);
  }
  const engine = createBuiltinEngine(options);
  const context = await engine.prepare(tile);
  const times: number[] = [];
  for (let i = 0; i < Number(process.env.N ?? 20); i++) {
    const start = performance.now();
    await engine.inferTile(tile, context);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  process.stdout.write(`min ${times[0].toFixed(1)} median ${times[times.length >> 1].toFixed(1)} max ${times[times.length - 1].toFixed(1)} ms\n`);
})();
