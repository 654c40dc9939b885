// Lesson 2's panel: the linear recurrence h[t] = a * h[t-1] + x[t] (h[-1] = 0) three ways on the GPU.
// Each entry point binds only what it uses, so that every pipeline can use layout "auto".

struct Recurrence {
  a: f32,
  n: u32,  // T, the number of steps
}

// ---- one thread walks every step: depth T in a single dispatch ------------------------------------
@group(0) @binding(0) var<uniform> walk_params: Recurrence;
@group(0) @binding(1) var<storage, read> walk_x: array<f32>;
@group(0) @binding(2) var<storage, read_write> walk_h: array<f32>;

@compute @workgroup_size(1)
fn walk() {
  var state = 0.0;
  for (var t = 0u; t < walk_params.n; t++) {
    state = walk_params.a * state + walk_x[t];
    walk_h[t] = state;
  }
}

// ---- one step per dispatch: what a naive RNN does, paying a launch for every step ---------------
// The step index lives in a counter the kernel advances, so one recorded dispatch, repeated T times
// in a pass, walks the sequence (dispatches in a pass run in order, each seeing the last's writes).
@group(0) @binding(0) var<uniform> step_params: Recurrence;
@group(0) @binding(1) var<storage, read> step_x: array<f32>;
@group(0) @binding(2) var<storage, read_write> step_h: array<f32>;
@group(0) @binding(3) var<storage, read_write> step_counter: array<u32>;

@compute @workgroup_size(1)
fn step() {
  let t = step_counter[0];
  var previous = 0.0;
  if (t > 0u) {
    previous = step_h[t - 1u];
  }
  step_h[t] = step_params.a * previous + step_x[t];
  step_counter[0] = t + 1u;
}

// ---- a parallel scan (Hillis-Steele): about log2 T rounds, each combining T pairs at once --------
// Step t is the affine map h -> A h + B with (A, B) = (a, x[t]). Two maps compose associatively:
// first (A1, B1), then (A2, B2), is (A2 A1, A2 B1 + B2). After the rounds with offsets 1, 2, 4, ...,
// pair t holds the composition of steps 0..t, and its B is h[t].
@group(0) @binding(0) var<uniform> init_params: Recurrence;
@group(0) @binding(1) var<storage, read> init_x: array<f32>;
@group(0) @binding(2) var<storage, read_write> init_pairs: array<vec2f>;

@compute @workgroup_size(64)
fn scan_init(@builtin(global_invocation_id) id: vec3u) {
  let t = id.x;
  if (t < init_params.n) {
    init_pairs[t] = vec2f(init_params.a, init_x[t]);
  }
}

struct Round {
  n: u32,
  offset: u32,  // 2^round: each pair combines with the one this far before it
}

@group(0) @binding(0) var<uniform> round: Round;
@group(0) @binding(1) var<storage, read> round_in: array<vec2f>;
@group(0) @binding(2) var<storage, read_write> round_out: array<vec2f>;

@compute @workgroup_size(64)
fn scan_round(@builtin(global_invocation_id) id: vec3u) {
  let t = id.x;
  if (t >= round.n) {
    return;
  }
  let later = round_in[t];
  if (t < round.offset) {
    round_out[t] = later;  // nothing that far back: already complete
    return;
  }
  let earlier = round_in[t - round.offset];
  round_out[t] = vec2f(later.x * earlier.x, later.x * earlier.y + later.y);
}
