// Runs the exported Fashion-MNIST model with ONNX Runtime (npm onnxruntime-node) on the committed test case
// (fashion_mnist_case/test_data_set_*/input_0.pb) and compares with the PyTorch outputs (output_0.pb).
//
//   node check_onnxruntime.mjs --setup          # once: npm pack onnxruntime-node + onnxruntime-common into .cache/
//   node check_onnxruntime.mjs [--write-json]   # check; --write-json records the result in fashion_mnist_cnn.json
//
// Options: --case DIR (default fashion_mnist_case), --model FILE (default <case>/model.onnx),
//          --threads N (intra-op threads, default 1), --tolerance X (max abs diff allowed, default 1e-4),
//          --ort DIR (an extracted onnxruntime-node package; default .cache/node_modules/onnxruntime-node).
// Exits 1 if any output differs by more than the tolerance or a prediction disagrees.
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const ORT_VERSION = '1.30.0';

function parseArgs(argv) {
  const a = { case: path.join(here, 'fashion_mnist_case'), model: null, threads: 1, tolerance: 1e-4,
    ort: path.join(here, '.cache', 'node_modules', 'onnxruntime-node'), writeJson: false, setup: false,
    json: path.join(here, 'fashion_mnist_cnn.json') };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = () => { if (i + 1 >= argv.length) throw new Error(`${k} needs a value`); return argv[++i]; };
    if (k === '--case') a.case = path.resolve(v());
    else if (k === '--model') a.model = path.resolve(v());
    else if (k === '--threads') a.threads = Number(v());
    else if (k === '--tolerance') a.tolerance = Number(v());
    else if (k === '--ort') a.ort = path.resolve(v());
    else if (k === '--json') a.json = path.resolve(v());
    else if (k === '--write-json') a.writeJson = true;
    else if (k === '--setup') a.setup = true;
    else throw new Error(`unknown argument ${k}`);
  }
  a.model ??= path.join(a.case, 'model.onnx');
  return a;
}

// npm pack the two packages (no install scripts run) and extract them so that onnxruntime-node's
// require('onnxruntime-common') resolves: .cache/node_modules/{onnxruntime-node,onnxruntime-common}.
function setup() {
  const cache = path.join(here, '.cache');
  const packs = path.join(cache, 'npm');
  fs.mkdirSync(packs, { recursive: true });
  for (const name of ['onnxruntime-node', 'onnxruntime-common']) {
    const tgz = path.join(packs, `${name}-${ORT_VERSION}.tgz`);
    if (!fs.existsSync(tgz)) execFileSync('npm', ['pack', `${name}@${ORT_VERSION}`], { cwd: packs, stdio: 'inherit' });
    const dest = path.join(cache, 'node_modules', name);
    fs.rmSync(dest, { recursive: true, force: true });
    fs.mkdirSync(dest, { recursive: true });
    execFileSync('tar', ['xzf', tgz, '-C', dest, '--strip-components=1'], { stdio: 'inherit' });
  }
  console.log(`onnxruntime-node ${ORT_VERSION} extracted under ${path.join(cache, 'node_modules')}`);
}

// Minimal protobuf reader for onnx.TensorProto (dims=1, data_type=2, float_data=4, name=8, raw_data=9).
function readTensorProto(buf) {
  let pos = 0;
  const varint = () => {
    let result = 0n, shift = 0n;
    for (;;) {
      const b = buf[pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return result;
      shift += 7n;
    }
  };
  const t = { dims: [], dataType: 0, name: '', raw: null, floats: [] };
  while (pos < buf.length) {
    const key = Number(varint());
    const field = key >>> 3, wire = key & 7;
    if (wire === 0) {
      const v = varint();
      if (field === 1) t.dims.push(Number(v));
      else if (field === 2) t.dataType = Number(v);
    } else if (wire === 2) {
      const len = Number(varint());
      const bytes = buf.subarray(pos, pos + len);
      pos += len;
      if (field === 1) { // packed dims
        const saved = [buf, pos];
        buf = bytes; pos = 0;
        while (pos < buf.length) t.dims.push(Number(varint()));
        [buf, pos] = saved;
      } else if (field === 4) {
        for (let i = 0; i < len; i += 4) t.floats.push(bytes.readFloatLE(i));
      } else if (field === 8) t.name = bytes.toString('utf8');
      else if (field === 9) t.raw = bytes;
    } else if (wire === 5) {
      if (field === 4) t.floats.push(buf.readFloatLE(pos));
      pos += 4;
    } else if (wire === 1) pos += 8;
    else throw new Error(`unsupported wire type ${wire}`);
  }
  if (t.dataType !== 1) throw new Error(`tensor ${t.name}: data_type ${t.dataType}, expected 1 (float)`);
  const count = t.dims.reduce((x, y) => x * y, 1);
  let data;
  if (t.raw) {
    data = new Float32Array(count);
    for (let i = 0; i < count; i++) data[i] = t.raw.readFloatLE(4 * i);
  } else data = Float32Array.from(t.floats);
  if (data.length !== count) throw new Error(`tensor ${t.name}: ${data.length} values for dims ${t.dims}`);
  return { name: t.name, dims: t.dims, data };
}

const argmax = (a) => a.reduce((best, v, i) => (v > a[best] ? i : best), 0);

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.setup) { setup(); return; }
  if (!fs.existsSync(path.join(args.ort, 'package.json'))) {
    throw new Error(`onnxruntime-node not found at ${args.ort}: run 'node check_onnxruntime.mjs --setup' first`);
  }
  const require = createRequire(path.join(args.ort, 'package.json'));
  const ort = require(args.ort);
  const version = JSON.parse(fs.readFileSync(path.join(args.ort, 'package.json'), 'utf8')).version;

  const modelBytes = fs.readFileSync(args.model);
  const modelSha = createHash('sha256').update(modelBytes).digest('hex');
  const session = await ort.InferenceSession.create(modelBytes, {
    intraOpNumThreads: args.threads, interOpNumThreads: 1, executionProviders: ['cpu'] });
  console.log(`onnxruntime-node ${version}; model ${path.relative(process.cwd(), args.model)} (sha256 ${modelSha.slice(0, 16)}...);`
    + ` inputs ${session.inputNames}, outputs ${session.outputNames}; ${args.threads} intra-op thread(s)`);

  const labelsPath = path.join(args.case, 'labels.txt');
  const labels = fs.existsSync(labelsPath)
    ? fs.readFileSync(labelsPath, 'utf8').split('\n').filter((s) => s.length).map(Number) : null;
  const sets = fs.readdirSync(args.case).filter((d) => /^test_data_set_\d+$/.test(d))
    .sort((a, b) => Number(a.split('_').pop()) - Number(b.split('_').pop()));
  let maxDiff = 0, worst = '', argmaxAgree = 0, correct = 0;
  const start = process.hrtime.bigint();
  for (const [i, d] of sets.entries()) {
    const input = readTensorProto(fs.readFileSync(path.join(args.case, d, 'input_0.pb')));
    const expected = readTensorProto(fs.readFileSync(path.join(args.case, d, 'output_0.pb')));
    const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', input.data, input.dims) };
    const out = (await session.run(feeds))[session.outputNames[0]];
    if (out.dims.join(',') !== expected.dims.join(',')) {
      throw new Error(`${d}: output dims ${out.dims} != expected ${expected.dims}`);
    }
    for (let k = 0; k < out.data.length; k++) {
      const diff = Math.abs(out.data[k] - expected.data[k]);
      if (diff > maxDiff) { maxDiff = diff; worst = `${d}[${k}]`; }
    }
    const p = argmax(Array.from(out.data));
    if (p === argmax(Array.from(expected.data))) argmaxAgree++;
    if (labels && p === labels[i]) correct++;
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const ok = sets.length > 0 && maxDiff <= args.tolerance && argmaxAgree === sets.length;
  console.log(`${sets.length} test sets: max abs diff ${maxDiff.toExponential(3)} (at ${worst}), `
    + `argmax agreement ${argmaxAgree}/${sets.length}`
    + (labels ? `, ORT correct vs labels.txt ${correct}/${sets.length}` : '')
    + `; ${ms.toFixed(0)} ms total; tolerance ${args.tolerance}: ${ok ? 'OK' : 'FAIL'}`);

  if (args.writeJson) {
    const meta = JSON.parse(fs.readFileSync(args.json, 'utf8'));
    if (meta.onnx_sha256 !== modelSha) {
      throw new Error(`${args.json} describes a different model (sha256 ${meta.onnx_sha256}); not updated`);
    }
    meta.onnxruntime_max_abs_diff = maxDiff;
    meta.onnxruntime = { package: `onnxruntime-node@${version}`, test_sets: sets.length,
      argmax_agreement: argmaxAgree, correct_vs_labels: labels ? correct : null,
      intra_op_threads: args.threads, tolerance: args.tolerance, ok,
      command: 'node check_onnxruntime.mjs --write-json' };
    fs.writeFileSync(args.json, JSON.stringify(meta, null, 2) + '\n');
    console.log(`recorded in ${path.relative(process.cwd(), args.json)}`);
  }
  if (!ok) process.exitCode = 1;
}

main().catch((e) => { console.error(e.message ?? e); process.exitCode = 2; });
