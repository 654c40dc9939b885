// Lesson 4's panel: what one generation step costs as the context grows. Attention reads a KV cache of
// t positions (scores, softmax, weighted sum of the values); linear attention updates and reads a
// fixed state. Both on the GPU (decode_cost.wgsl) and in JavaScript on one CPU thread.

import { STORAGE, batchRunner, bind, buffer, computePass, destroyer, pipelines, readBack, seeded } from "./gpu.js";
import { words } from "./panel.js";

export const id = "decode_cost";
export const xName = "t"; // a symbol, the same in every language
export const claim = "A decode step with a KV cache reads the whole cache, so its time grows with the context t, "
  + "while a recurrent step updates a state of fixed size and costs the same at every position.";
export const withoutGpu = words({
  en: "The claim holds or fails on any hardware, so it is judged here on the JavaScript steps.",
  zh: "这一论断在任何硬件上都可以检验，因此这里根据 JavaScript 中的两种步骤来判定。",
});

const D = 64; // must match the WGSL's D
const BYTES = 4; // float32
const TOLERANCE = 2e-3;

/** Bytes of the KV cache at t positions: the site's formula (gen/experiments/kv_cache/formulas.py,
 *  cache_formula) for one layer, one key/value head of size D, float32. */
export function cacheBytes(t, layers = 1, kvHeads = 1, headDim = D, bytesPerElement = BYTES) {
  return 2 * layers * kvHeads * headDim * t * bytesPerElement;
}

/** Bytes of the linear-attention state: S (D x D) and z (D), whatever the position. */
export const STATE_BYTES = (D * D + D) * BYTES;

export function sizes(sweep) {
  return sweep === "reduced" ? [64, 256, 1024] : [256, 1024, 4096, 16384, 65536, 262144];
}

export const columns = [
  { label: words({ en: "KV cache", zh: "KV 缓存" }), text: (t) => bytesText(cacheBytes(t)) },
  { label: words({ en: "fixed state", zh: "固定状态" }), text: () => bytesText(STATE_BYTES) },
];

function bytesText(bytes) {
  const units = ["B", "KiB", "MiB", "GiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number.isInteger(value) ? value : value.toPrecision(3)} ${units[unit]}`;
}

// ---- the two steps in JavaScript: the references, and the CPU series ------------------------------

function cache(t) {
  return { q: seeded(D, 3, -1, 1), keys: seeded(t * D, 5, -1, 1), values: seeded(t * D, 9, -1, 1) };
}

function cachedStep({ q, keys, values }, t, out = new Float32Array(D), scores = new Float32Array(t)) {
  let largest = -Infinity;
  for (let j = 0; j < t; j++) {
    let dot = 0;
    for (let k = 0; k < D; k++) dot += q[k] * keys[j * D + k];
    scores[j] = dot / Math.sqrt(D);
    largest = Math.max(largest, scores[j]);
  }
  let total = 0;
  for (let j = 0; j < t; j++) total += (scores[j] = Math.exp(scores[j] - largest));
  out.fill(0);
  for (let j = 0; j < t; j++) {
    const weight = scores[j] / total;
    for (let c = 0; c < D; c++) out[c] += weight * values[j * D + c];
  }
  return out;
}

function state() {
  // q and k after linear attention's feature map (elu + 1): positive, so q . z > 0
  return { qkv: seeded(3 * D, 13, 0.1, 1), s: seeded(D * D, 17, 0, 0.1), z: seeded(D, 19, 0.5, 1) };
}

function stateStep({ qkv, s, z }, out = new Float32Array(D)) {
  let norm = 0;
  for (let c = 0; c < D; c++) z[c] += qkv[D + c];
  for (let c = 0; c < D; c++) norm += qkv[c] * z[c];
  for (let c = 0; c < D; c++) {
    let y = 0;
    for (let r = 0; r < D; r++) {
      s[r * D + c] += qkv[D + r] * qkv[2 * D + c];
      y += s[r * D + c] * qkv[r];
    }
    out[c] = y / norm;
  }
  return out;
}

const close = (got, want) => want.every((value, c) => Math.abs(got[c] - value) <= TOLERANCE * Math.max(1, Math.abs(value)));

// ---- GPU ------------------------------------------------------------------------------------------

export async function setup(device, wgslUrl) {
  const pipeline = await pipelines(device, wgslUrl);
  return { device, scores: pipeline("cached_scores"), softmax: pipeline("cached_softmax"),
    read: pipeline("cached_read"), state: pipeline("state_step") };
}

function stepUniform(device, t) {
  const bytes = new ArrayBuffer(16);
  new Uint32Array(bytes, 0, 1)[0] = t;
  new Float32Array(bytes, 4, 1)[0] = 1 / Math.sqrt(D);
  return buffer(device, new Uint8Array(bytes), GPUBufferUsage.UNIFORM);
}

export const series = [
  {
    name: "cached", label: words({ en: "attention step reading a KV cache of t positions",
      zh: "读取 t 个位置的 KV 缓存的注意力步" }), unit: "gpu",
    async prepare(k, t) {
      const inputs = cache(t);
      const shape = stepUniform(k.device, t);
      const [q, keys, values] = [inputs.q, inputs.keys, inputs.values].map((a) => buffer(k.device, a, STORAGE()));
      const scores = k.device.createBuffer({ size: 4 * t, usage: STORAGE() });
      const out = k.device.createBuffer({ size: 4 * D, usage: STORAGE() });
      const steps = [
        [k.scores, bind(k.device, k.scores, [shape, q, keys, scores]), Math.ceil(t / 64)],
        [k.softmax, bind(k.device, k.softmax, [shape, scores]), 1],
        [k.read, bind(k.device, k.read, [shape, scores, values, out]), D],
      ];
      const encode = (encoder) => computePass(encoder, steps);
      return {
        runBatch: batchRunner(k.device, encode),
        verify: async () => close(await readBack(k.device, out, encode, D), cachedStep(inputs, t)),
        dispose: destroyer([shape, q, keys, values, scores, out]),
      };
    },
  },
  {
    name: "state", label: words({ en: "linear-attention step on a fixed state", zh: "固定状态上的线性注意力步" }),
    unit: "gpu",
    async prepare(k) {
      const start = state();
      const [qkv, s, z] = [start.qkv, start.s, start.z].map((a) => buffer(k.device, a, STORAGE()));
      const out = k.device.createBuffer({ size: 4 * D, usage: STORAGE() });
      const steps = [[k.state, bind(k.device, k.state, [qkv, s, z, out]), 1]];
      const encode = (encoder) => computePass(encoder, steps);
      return {
        runBatch: batchRunner(k.device, encode),
        // the first step from the starting state, before timing moves the state on
        verify: async () => close(await readBack(k.device, out, encode, D), stateStep(state())),
        dispose: destroyer([qkv, s, z, out]),
      };
    },
  },
  {
    name: "cpu_cached", label: words({ en: "attention step in JavaScript", zh: "JavaScript 中的注意力步" }), unit: "cpu",
    async prepare(_kernels, t) {
      const inputs = cache(t);
      const out = new Float32Array(D);
      const scores = new Float32Array(t);
      return {
        runBatch: async (repeats) => { for (let i = 0; i < repeats; i++) cachedStep(inputs, t, out, scores); },
        verify: async () => close(cachedStep(inputs, t, out, scores), cachedStep(inputs, t)),
      };
    },
  },
  {
    name: "cpu_state", label: words({ en: "fixed-state step in JavaScript", zh: "JavaScript 中的固定状态步" }), unit: "cpu",
    async prepare() {
      const live = state();
      const out = new Float32Array(D);
      return {
        runBatch: async (repeats) => { for (let i = 0; i < repeats; i++) stateStep(live, out); },
        verify: async () => close(stateStep(state()), stateStep(state())),
      };
    },
  },
];

// ---- the verdict ----------------------------------------------------------------------------------

const GROWING = 0.5; // the cached step's slope over the upper half: reading t positions is slope 1
const FLAT = 0.25; // the fixed state's: nothing grows, so only noise moves it

export function judge(measured, slopes, stopped) {
  const fmt = (s) => (s === null || s === undefined ? "—" : s.toFixed(2));
  const onGpu = slopes.cached != null && slopes.state != null;
  const [cached, fixed] = onGpu ? [slopes.cached, slopes.state] : [slopes.cpu_cached, slopes.cpu_state];
  if (cached == null || fixed == null) {
    return { holds: null, text: words({ en: "Not judged: the run was stopped before enough sizes were timed.",
      zh: "未判定：还没有计时足够多的规模，运行就被停止了。" }) };
  }
  const where = onGpu ? words({ en: "on your GPU", zh: "在你的 GPU 上" })
    : words({ en: "in JavaScript on your CPU", zh: "在你的 CPU 上用 JavaScript 运行" });
  const holds = cached >= GROWING && Math.abs(fixed) <= FLAT;
  return {
    holds,
    text: words({
      en: `${holds ? "Holds on your device" : "Does not hold on your device"} (${where}): the cached step's time `
        + `grew with slope ${fmt(cached)} against t (1 is in proportion to the cache), the fixed-state step's `
        + `${fmt(fixed)} (0 is flat); the claim needs at least ${GROWING} and at most ${FLAT} in size.`
        + (stopped ? " (The run was stopped early.)" : ""),
      zh: `${holds ? "在你的设备上成立" : "在你的设备上不成立"}（${where}）：读取缓存的一步，耗时对 t 的斜率为 `
        + `${fmt(cached)}（1 表示与缓存大小成正比），固定状态的一步为 ${fmt(fixed)}（0 表示不变）；这一论断要求前者`
        + `不低于 ${GROWING}，后者的绝对值不超过 ${FLAT}。` + (stopped ? "（运行被提前停止了。）" : ""),
    }),
  };
}

/** The build's own decode steps: kv_cache's toy MHA Transformer against its LSTM, by cached tokens. */
export function buildSeries(data, device) {
  const steps = (name) => (data.latency[name] || []).filter((p) => p.median_s)
    .map((p) => ({ x: p.position, ms: p.median_s * 1000 }));
  return [
    { label: words({ en: `build: toy Transformer decode step, ${data.layers} layers (${device})`,
      zh: `本次构建：玩具 Transformer 的解码步，${data.layers} 层（${device}）` }), points: steps("transformer_mha") },
    { label: words({ en: `build: toy LSTM decode step (${device})`, zh: `本次构建：玩具 LSTM 的解码步（${device}）` }),
      points: steps("lstm") },
  ];
}
