// Lesson 3's panel: attention over T positions against a recurrence of T dependent steps, width D.
// Attention (queries = keys = values = x, as the build's "attention core") runs as three parallel
// dispatches: scores, a softmax per row, the weighted sum. The recurrence h[t] = tanh(W h[t-1] + x[t])
// runs in one workgroup of D threads, one row of W each, stepping together: the best a chain can do
// on a GPU (no launch per step), and still T dependent steps. Each entry point binds only what it uses.

const D = 64u;  // the width: attention's head size and the recurrence's state size

struct Shape {
  t: u32,
  scale: f32,  // 1 / sqrt(D)
}

// ---- attention -------------------------------------------------------------------------------------
@group(0) @binding(0) var<uniform> score_shape: Shape;
@group(0) @binding(1) var<storage, read> score_x: array<f32>;  // (T, D)
@group(0) @binding(2) var<storage, read_write> scores: array<f32>;  // (T, T)

@compute @workgroup_size(8, 8)
fn attention_scores(@builtin(global_invocation_id) id: vec3u) {
  let i = id.y;
  let j = id.x;
  if (i >= score_shape.t || j >= score_shape.t) {
    return;
  }
  var dot = 0.0;
  for (var k = 0u; k < D; k++) {
    dot += score_x[i * D + k] * score_x[j * D + k];
  }
  scores[i * score_shape.t + j] = dot * score_shape.scale;
}

@group(0) @binding(0) var<uniform> softmax_shape: Shape;
@group(0) @binding(1) var<storage, read_write> softmax_rows_data: array<f32>;  // (T, T), in place

var<workgroup> partial: array<f32, 64>;

// One workgroup per row: a max, then a sum of exponentials, each reduced across the 64 threads.
@compute @workgroup_size(64)
fn softmax_rows(@builtin(workgroup_id) row: vec3u, @builtin(local_invocation_index) lane: u32) {
  let t = softmax_shape.t;
  let start = row.x * t;
  var largest = -3.4e38;
  for (var j = lane; j < t; j += 64u) {
    largest = max(largest, softmax_rows_data[start + j]);
  }
  partial[lane] = largest;
  workgroupBarrier();
  for (var stride = 32u; stride > 0u; stride /= 2u) {
    if (lane < stride) {
      partial[lane] = max(partial[lane], partial[lane + stride]);
    }
    workgroupBarrier();
  }
  let row_max = partial[0];
  workgroupBarrier();
  var total = 0.0;
  for (var j = lane; j < t; j += 64u) {
    let e = exp(softmax_rows_data[start + j] - row_max);
    softmax_rows_data[start + j] = e;
    total += e;
  }
  partial[lane] = total;
  workgroupBarrier();
  for (var stride = 32u; stride > 0u; stride /= 2u) {
    if (lane < stride) {
      partial[lane] += partial[lane + stride];
    }
    workgroupBarrier();
  }
  let row_sum = partial[0];
  for (var j = lane; j < t; j += 64u) {
    softmax_rows_data[start + j] /= row_sum;
  }
}

@group(0) @binding(0) var<uniform> mix_shape: Shape;
@group(0) @binding(1) var<storage, read> mix_weights: array<f32>;  // (T, T), rows summing to 1
@group(0) @binding(2) var<storage, read> mix_x: array<f32>;  // (T, D)
@group(0) @binding(3) var<storage, read_write> mix_out: array<f32>;  // (T, D)

@compute @workgroup_size(64)
fn attention_mix(@builtin(global_invocation_id) id: vec3u) {
  let index = id.x;  // one thread per output number: row i, column c
  if (index >= mix_shape.t * D) {
    return;
  }
  let i = index / D;
  let c = index % D;
  var sum = 0.0;
  for (var j = 0u; j < mix_shape.t; j++) {
    sum += mix_weights[i * mix_shape.t + j] * mix_x[j * D + c];
  }
  mix_out[index] = sum;
}

// ---- the recurrence ----------------------------------------------------------------------------------
@group(0) @binding(0) var<uniform> chain_shape: Shape;
@group(0) @binding(1) var<storage, read> chain_w: array<f32>;  // (D, D)
@group(0) @binding(2) var<storage, read> chain_x: array<f32>;  // (T, D)
@group(0) @binding(3) var<storage, read_write> chain_h: array<f32>;  // (T, D)

var<workgroup> state: array<f32, 64>;

@compute @workgroup_size(64)
fn recurrence(@builtin(local_invocation_index) r: u32) {
  state[r] = 0.0;
  workgroupBarrier();
  for (var t = 0u; t < chain_shape.t; t++) {
    var acc = chain_x[t * D + r];
    for (var k = 0u; k < D; k++) {
      acc += chain_w[r * D + k] * state[k];
    }
    workgroupBarrier();  // every thread has read the old state
    state[r] = tanh(acc);
    chain_h[t * D + r] = state[r];
    workgroupBarrier();  // the new state is whole before the next step reads it
  }
}
