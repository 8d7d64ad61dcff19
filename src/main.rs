use std::process::ExitCode;

fn main() -> ExitCode {
    munifed::cli::main()
}
