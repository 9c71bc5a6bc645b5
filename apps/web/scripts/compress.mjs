// Writes a Brotli (.br) and a gzip (.gz) copy beside every compressible file in dist, so the BFF can
// serve them precompressed (@fastify/static `preCompressed`) instead of compressing on each request.
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const dist = fileURLToPath(new URL('../dist', import.meta.url));
const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

// Images and fonts in these formats are already compressed; another pass would only cost bytes.
const alreadyCompressed = new Set([
  '.br',
  '.gz',
  '.png',
  '.jpg',
  '.jpeg',
  '.gif',
  '.webp',
  '.avif',
  '.woff',
  '.woff2',
  '.zip',
]);

async function* files(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.isFile() && !alreadyCompressed.has(extname(entry.name).toLowerCase())) yield path;
  }
}

let count = 0;
let raw = 0;
let br = 0;
for await (const path of files(dist)) {
  const data = await readFile(path);
  const [b, g] = await Promise.all([
    brotli(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
    gz(data, { level: 9 }),
  ]);
  await Promise.all([writeFile(`${path}.br`, b), writeFile(`${path}.gz`, g)]);
  count += 1;
  raw += data.length;
  br += b.length;
}

if (count === 0 || !(await stat(join(dist, 'index.html')).catch(() => null))) {
  console.error(
    `compress: nothing to compress in ${relative(process.cwd(), dist) || dist}; run vite build first`,
  );
  process.exit(1);
}
console.log(`compress: ${count} files, ${(raw / 1024).toFixed(0)} kB → ${(br / 1024).toFixed(0)} kB brotli`);
