//! The `frontdesk` command: parses arguments, opens the database, and delegates.
//!
//! Handlers here translate between the command line and the library; every rule lives in
//! `frontdesk-core`. Errors go to stderr with a non-zero exit; `--json` output is a contract.

mod billing;
mod briefs;
mod cli;
mod commands;
mod deliverables;
mod demo;
mod output;
mod promises;
mod ratings;
mod risk;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Args::parse();
    match commands::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
