//! The binary edge: parse arguments, run, turn any error into one line on
//! stderr and a non-zero exit.

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = <svodka::cli::Cli as clap::Parser>::parse();
    match svodka::cli::run(cli) {
        Ok(code) => code,
        // `svodka list | head` closing the pipe is not an error.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("svodka: {}", svodka::cli::error_line(&e));
            ExitCode::from(1)
        }
    }
}
