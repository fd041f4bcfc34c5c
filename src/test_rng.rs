//! A small deterministic generator for tests (Knuth's MMIX linear congruential generator).

/// Draws from an MMIX LCG started at `seed`: `next(m)` is below `m`, from the state's bits 33 and
/// up.
pub(crate) fn lcg(seed: u64) -> impl FnMut(u64) -> u64 {
    let mut x = seed;
    move |m| {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (x >> 33) % m
    }
}
