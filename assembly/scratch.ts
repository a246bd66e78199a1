// A bump allocator over the memory above the caller's buffers: each exported step that needs scratch space
// starts it at the address the caller gives and grows memory as it runs out. Nothing is ever freed; the next
// call starts again from its own address.

let top: usize = 0;

/** Scratch space starts again at `at`. */
export function scratchFrom(at: usize): void {
  top = at;
}

/** `count` slots of `bytes` each from the scratch area, 8-aligned, memory grown when it runs out. */
export function take(count: i32, bytes: i32): usize {
  const at = (top + 7) & ~7;
  top = at + <usize>count * <usize>bytes;
  const have = <usize>memory.size() << 16;
  if (top > have) memory.grow(<i32>((top - have + 65535) >> 16));
  return at;
}
