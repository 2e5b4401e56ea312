fn main() -> std::process::ExitCode {
    whosaid::cli::main()
}
