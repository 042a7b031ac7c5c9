fn main() -> std::process::ExitCode {
    event_tools::cli::main(&external_catalog::catalog())
}
