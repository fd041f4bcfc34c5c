//! Hints to the memory system for the hot loops of the index stages: prefetching a cache line
//! ahead of its use, and huge pages for large bitsets. Neither changes a result.

/// A hint to bring the cache line holding `x` in (no effect off x86-64).
pub fn prefetch<T>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is only a hint; it never faults and changes no memory.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>((x as *const T).cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

/// Asks Linux to back the whole 2 MiB pages inside `len` bytes at `addr` with huge pages (only a
/// hint: without transparent huge pages, or elsewhere, nothing changes).
pub fn advise_huge_pages(addr: usize, len: usize) {
    #[cfg(target_os = "linux")]
    {
        const HUGE: usize = 2 << 20;
        let start = addr.next_multiple_of(HUGE);
        let end = (addr + len) / HUGE * HUGE;
        if end > start {
            // SAFETY: the range lies inside an allocation this process owns and has not touched
            // yet; MADV_HUGEPAGE changes only how it is backed, never its contents.
            unsafe { libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE) };
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (addr, len);
}
