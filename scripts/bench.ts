// `npm run bench` runs every group; `npm run bench -- engine` runs one. Output: `name: value unit`.
import { benchCabinet } from './bench/cabinet.bench.ts';
import { benchEngine } from './bench/engine.bench.ts';
import { benchPos } from './bench/pos.bench.ts';
import { benchServer } from './bench/server.bench.ts';
import { benchSync } from './bench/sync.bench.ts';

const groups: Record<string, () => void | Promise<void>> = {
  cabinet: () => benchCabinet(),
  'cabinet.size': () => benchCabinet(['size']),
  'cabinet.buyers': () => benchCabinet(['buyers']),
  engine: benchEngine,
  server: () => benchServer(),
  'server.confirm': () => benchServer(['confirm']),
  'server.search': () => benchServer(['search']),
  sync: benchSync,
  pos: benchPos,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in groups));
if (unknown.length > 0) {
  console.error(
    `Unknown benchmark group(s): ${unknown.join(', ')}. Known: ${Object.keys(groups).join(', ')}`,
  );
  process.exit(2);
}
// With no group named, every whole group runs once (the parts are for running one figure alone).
for (const [name, run] of Object.entries(groups)) {
  if (wanted.length === 0 ? !name.includes('.') : wanted.includes(name)) await run();
}
