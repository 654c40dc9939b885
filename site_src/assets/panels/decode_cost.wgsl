// Lesson 4's panel: one generation step of attention reading a KV cache of t positions, against one
// step of linear attention, whose state (a D x D matrix and a D-vector) does not grow. Width D, one
// head. Each entry point binds only what it uses.

const D = 64u;

struct Step {
  t: u32,  // positions in the cache
  scale: f32,  // 1 / sqrt(D)
}

// ---- the cached step: scores against every key, a softmax, the weighted sum of every value -------
@group(0) @binding(0) var<uniform> score_step: Step;
@group(0) @binding(1) var<storage, read> score_q: array<f32>;  // (D)
@group(0) @binding(2) var<storage, read> score_keys: array<f32>;  // (t, D)
@group(0) @binding(3) var<storage, read_write> score_out: array<f32>;  // (t)

@compute @workgroup_size(64)
fn cached_scores(@builtin(global_invocation_id) id: vec3u) {
  let j = id.x;
  if (j >= score_step.t) {
    return;
  }
  var dot = 0.0;
  for (var k = 0u; k < D; k++) {
    dot += score_q[k] * score_keys[j * D + k];
  }
  score_out[j] = dot * score_step.scale;
}

@group(0) @binding(0) var<uniform> soft_step: Step;
@group(0) @binding(1) var<storage, read_write> soft_scores: array<f32>;  // (t), in place

var<workgroup> partial: array<f32, 256>;

@compute @workgroup_size(256)
fn cached_softmax(@builtin(local_invocation_index) lane: u32) {
  let t = soft_step.t;
  var largest = -3.4e38;
  for (var j = lane; j < t; j += 256u) {
    largest = max(largest, soft_scores[j]);
  }
  partial[lane] = largest;
  workgroupBarrier();
  for (var stride = 128u; stride > 0u; stride /= 2u) {
    if (lane < stride) {
      partial[lane] = max(partial[lane], partial[lane + stride]);
    }
    workgroupBarrier();
  }
  let top = partial[0];
  workgroupBarrier();
  var total = 0.0;
  for (var j = lane; j < t; j += 256u) {
    let e = exp(soft_scores[j] - top);
    soft_scores[j] = e;
    total += e;
  }
  partial[lane] = total;
  workgroupBarrier();
  for (var stride = 128u; stride > 0u; stride /= 2u) {
    if (lane < stride) {
      partial[lane] += partial[lane + stride];
    }
    workgroupBarrier();
  }
  let sum = partial[0];
  for (var j = lane; j < t; j += 256u) {
    soft_scores[j] /= sum;
  }
}

@group(0) @binding(0) var<uniform> read_step: Step;
@group(0) @binding(1) var<storage, read> read_weights: array<f32>;  // (t)
@group(0) @binding(2) var<storage, read> read_values: array<f32>;  // (t, D)
@group(0) @binding(3) var<storage, read_write> read_out: array<f32>;  // (D)

var<workgroup> column: array<f32, 256>;

// One workgroup per output number c: its 256 threads share the t positions, then add up.
@compute @workgroup_size(256)
fn cached_read(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_index) lane: u32) {
  let c = group.x;
  var sum = 0.0;
  for (var j = lane; j < read_step.t; j += 256u) {
    sum += read_weights[j] * read_values[j * D + c];
  }
  column[lane] = sum;
  workgroupBarrier();
  for (var stride = 128u; stride > 0u; stride /= 2u) {
    if (lane < stride) {
      column[lane] += column[lane + stride];
    }
    workgroupBarrier();
  }
  if (lane == 0u) {
    read_out[c] = column[0];
  }
}

// ---- the fixed-state step: linear attention, S += k v^T, z += k, y = S^T q / (q . z) ---------------
@group(0) @binding(0) var<storage, read> state_qkv: array<f32>;  // q, k, v: 3 x D, feature-mapped (> 0)
@group(0) @binding(1) var<storage, read_write> state_s: array<f32>;  // (D, D)
@group(0) @binding(2) var<storage, read_write> state_z: array<f32>;  // (D)
@group(0) @binding(3) var<storage, read_write> state_out: array<f32>;  // (D)

var<workgroup> norm: array<f32, 64>;

@compute @workgroup_size(64)
fn state_step(@builtin(local_invocation_index) c: u32) {
  // Thread c owns column c of S: adds k v[c] to it, then reads y[c] = sum over r of S[r, c] q[r].
  let v = state_qkv[2u * D + c];
  var y = 0.0;
  for (var r = 0u; r < D; r++) {
    let s = state_s[r * D + c] + state_qkv[D + r] * v;
    state_s[r * D + c] = s;
    y += s * state_qkv[r];
  }
  let z = state_z[c] + state_qkv[D + c];
  state_z[c] = z;
  norm[c] = state_qkv[c] * z;
  workgroupBarrier();
  for (var stride = 32u; stride > 0u; stride /= 2u) {
    if (c < stride) {
      norm[c] += norm[c + stride];
    }
    workgroupBarrier();
  }
  state_out[c] = y / norm[0];
}
