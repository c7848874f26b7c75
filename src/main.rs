//! The `algoperf-engine` binary: a thin wrapper over [`algoperf_engine::cli`].
//! Its exit status follows [`algoperf_engine::error::exit`].

use clap::Parser;

fn main() {
    let cli = algoperf_engine::cli::Cli::parse();
    let status = algoperf_engine::cli::finish(algoperf_engine::cli::main_with(cli));
    std::process::exit(status);
}
