// WebGPU plumbing the panels share: buffers, bind groups, batches of submissions, reading results back.

/** A function giving each entry point of the WGSL file at `url` as a compute pipeline (layout "auto"). */
export async function pipelines(device, url) {
  const module = device.createShaderModule({ code: await (await fetch(url)).text() });
  return (entryPoint) => device.createComputePipeline({ layout: "auto", compute: { module, entryPoint } });
}

export function buffer(device, data, usage) {
  const made = device.createBuffer({ size: Math.max(16, data.byteLength), usage, mappedAtCreation: true });
  new data.constructor(made.getMappedRange()).set(data);
  made.unmap();
  return made;
}

export const STORAGE = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
export const UNIFORM = () => GPUBufferUsage.UNIFORM;

export function bind(device, pipeline, buffers) {
  return device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: buffers.map((b, binding) => ({ binding, resource: { buffer: b } })),
  });
}

/** Run `encode` k times in one submission and wait until the GPU has finished all of them. */
export function batchRunner(device, encode) {
  return async (k) => {
    const encoder = device.createCommandEncoder();
    for (let i = 0; i < k; i++) encode(encoder);
    device.queue.submit([encoder.finish()]);
    await device.queue.onSubmittedWorkDone();
  };
}

/** Copy `source` back to the CPU (one run, outside the timing) as float32 values. */
export async function readBack(device, source, encode, floats, stride = 1, lane = 0) {
  const staging = device.createBuffer({ size: source.size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const encoder = device.createCommandEncoder();
  encode(encoder);
  encoder.copyBufferToBuffer(source, 0, staging, 0, source.size);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const all = new Float32Array(staging.getMappedRange().slice(0));
  staging.destroy();
  return Float32Array.from({ length: floats }, (_, t) => all[t * stride + lane]);
}

export function destroyer(buffers) {
  return () => { for (const b of buffers) b.destroy(); };
}

/** Encode one compute pass of dispatches: each step is [pipeline, bind group, workgroups x, y = 1]. */
export function computePass(encoder, steps) {
  const pass = encoder.beginComputePass();
  for (const [pipeline, group, x, y = 1] of steps) {
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(x, y);
  }
  pass.end();
}

/** n numbers in [low, high) from a fixed linear congruential generator: the same inputs on every run. */
export function seeded(n, seed, low = 0, high = 1) {
  const values = new Float32Array(n);
  let state = seed;
  for (let i = 0; i < n; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    values[i] = low + (high - low) * (state / 2147483648);
  }
  return values;
}
