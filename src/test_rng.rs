//! A small deterministic generator for tests (Knuth's MMIX linear congruential generator).

/// Draws from an MMIX LCG started at `seed`: `next(m)` is below `m`, from the state's bits 33 and
/// up.
pub(crate) fn lcg(seed: u64) -> impl FnMut(u64) -> u64 {
    let mut next = lcg_states(seed);
    move |m| (next() >> 33) % m
}

/// The successive 64-bit states of the MMIX LCG started at `seed`, for tests that take their
/// own bits (the high ones are the random ones).
pub(crate) fn lcg_states(seed: u64) -> impl FnMut() -> u64 {
    let mut x = seed;
    move || {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        x
    }
}
