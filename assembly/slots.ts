// Typed reads and writes of slot `i` in a table at `base` (the scratch tables of scratch.ts), shared by the
// modules that keep i32, u64 and f64 tables in linear memory.

@inline
export function geti(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}

@inline
export function seti(base: usize, i: i32, v: i32): void {
  store<i32>(base + (<usize>i << 2), v);
}

@inline
export function getu(base: usize, i: i32): u64 {
  return load<u64>(base + (<usize>i << 3));
}

@inline
export function setu(base: usize, i: i32, v: u64): void {
  store<u64>(base + (<usize>i << 3), v);
}

@inline
export function getf(base: usize, i: i32): f64 {
  return load<f64>(base + (<usize>i << 3));
}

@inline
export function setf(base: usize, i: i32, v: f64): void {
  store<f64>(base + (<usize>i << 3), v);
}
