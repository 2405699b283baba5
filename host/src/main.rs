//! The `stocklens` binary. Everything lives in the library; this only hands over to the CLI.

/// Sales cross the plugin boundary as millions of short strings, allocated on the parsing thread
/// and freed on the analyzing one; mimalloc handles that pattern markedly better than glibc's
/// allocator (measured in docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    stocklens::cli::main()
}
