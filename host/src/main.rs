//! The `stocklens` binary. Everything lives in the library; this only hands over to the CLI.

/// Sales cross the plugin boundary as millions of short strings, allocated on the parsing thread
/// and freed on the analyzing one; mimalloc handles that pattern markedly better than glibc's
/// allocator (measured in docs/performance.md), once told to give memory back (see
/// [`allocator::return_memory_promptly`]).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    allocator::return_memory_promptly();
    stocklens::cli::main()
}

/// mimalloc's settings for a long-running service (decision 47).
#[allow(unsafe_code)]
mod allocator {
    use libmimalloc_sys::{mi_option_set, mi_option_t};

    /// `mi_option_arena_eager_commit` in mimalloc 3's `mi_option_e` (default 2: commit arenas
    /// whole on overcommitting systems such as Linux). The crate names no constant for it.
    pub const ARENA_EAGER_COMMIT: mi_option_t = 4;
    /// `mi_option_purge_delay` in mimalloc 3 (default 1,000 ms; its header still says 10).
    pub const PURGE_DELAY: mi_option_t = 15;

    /// Commits arena memory as it is used and returns freed pages at once. By default mimalloc
    /// commits its 1 GiB arena in large steps and keeps freed pages for a second, which more than
    /// doubled the service's resident memory after an analysis. Set here, after mimalloc
    /// reserved its first arena, they bring one upload's peak from 122 MB to 85-93 MB; set in
    /// the environment before start, to 62 MB (decision 47; docs/performance.md, "Issue 10").
    pub fn return_memory_promptly() {
        // SAFETY: mi_option_set only stores an integer in mimalloc's option table (atomically);
        // both options are read again whenever mimalloc commits or purges.
        unsafe {
            mi_option_set(ARENA_EAGER_COMMIT, 0);
            mi_option_set(PURGE_DELAY, 0);
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        /// An option's current value.
        fn get(option: mi_option_t) -> std::os::raw::c_long {
            // SAFETY: reads mimalloc's option table.
            unsafe { libmimalloc_sys::mi_option_get(option) }
        }

        /// The numbers above are mimalloc 3's: before this process changes them, both options
        /// hold mimalloc 3's documented defaults (an upgrade that renumbers the enum fails here).
        #[test]
        fn the_option_numbers_are_mimalloc_3s() {
            assert_eq!(
                get(ARENA_EAGER_COMMIT),
                2,
                "arena_eager_commit defaults to 2"
            );
            assert_eq!(get(PURGE_DELAY), 1000, "purge_delay defaults to 1,000 ms");
            return_memory_promptly();
            assert_eq!(get(ARENA_EAGER_COMMIT), 0);
            assert_eq!(get(PURGE_DELAY), 0);
        }
    }
}
