//! The `algoperf-engine` binary: a thin wrapper over [`algoperf_engine::cli`].
//! Its exit status follows [`algoperf_engine::error::exit`].

use std::io::Write;

use clap::Parser;

fn main() {
    let cli = algoperf_engine::cli::Cli::parse();
    if let Err(e) = algoperf_engine::cli::main_with(cli) {
        if !e.is_quiet() {
            // A closed stderr has nobody to tell: ignore the failure.
            // Names from the tree cannot reach the terminal raw.
            let text = e.to_string();
            let text = algoperf_engine::diagnostics::escape_controls_but(&text, &['\n']);
            let _ = writeln!(std::io::stderr(), "error: {text}");
        }
        std::process::exit(e.exit_code());
    }
}
