//! The `algoperf-engine` binary: a thin wrapper over [`algoperf_engine::cli`].

use clap::Parser;

fn main() {
    let cli = algoperf_engine::cli::Cli::parse();
    if let Err(e) = algoperf_engine::cli::main_with(cli) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
