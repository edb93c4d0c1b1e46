// wasm-opt -Oz on many modules in one process (binaryen from npm, the same
// library as its wasm-opt; never Debian's binaryen 108). A split bundle has
// hundreds of small chunks, and starting wasm-opt once per file costs more
// than optimising it. Usage: node wasm-opt-all.mjs FILE.wasm…  (in place)
import binaryen from '../e2e/node_modules/binaryen/index.js';
import { readFileSync, writeFileSync } from 'node:fs';

const F = binaryen.Features;
// wasm-opt's defaults plus --enable-bulk-memory --enable-nontrapping-float-to-int.
const features =
  F.MutableGlobals | F.SignExt | F.BulkMemory | F.BulkMemoryOpt | F.NontrappingFPToInt | F.ReferenceTypes | F.Multivalue;
binaryen.setOptimizeLevel(2);
binaryen.setShrinkLevel(2);
for (const file of process.argv.slice(2)) {
  const module = binaryen.readBinary(readFileSync(file));
  module.setFeatures(features);
  module.optimize();
  // Custom sections the browser never reads: every chunk carried its own
  // `producers` and `target_features` (about 180 bytes raw a file, badly
  // compressible alone) — with a hundred chunks per page that was 11–13 KB of a
  // first load.
  module.runPasses(['strip-producers', 'strip-target-features']);
  if (!module.validate()) {
    console.error(`wasm-opt-all: ${file} does not validate after optimising`);
    process.exit(1);
  }
  writeFileSync(file, module.emitBinary());
  module.dispose();
}
