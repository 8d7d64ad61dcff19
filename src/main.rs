use std::process::ExitCode;

/// mimalloc rather than glibc's malloc, whose malloc and free took a tenth of the server's
/// time under the inbound benchmark's load (README, Development).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    munifed::cli::main()
}
