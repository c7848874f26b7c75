//! `man`: the manual pages, one per command, so that the program page's
//! list of commands (`algoperf-engine-speedup(1)`, …) points to pages that
//! exist.

use std::path::PathBuf;

use clap::{Args, CommandFactory};

use super::output::{print_err, stdout_error, write_out};
use super::Cli;
use crate::error::Result;
use crate::report::error::ReportError;
use crate::run::error::CommandLineError;

/// `man`'s arguments.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print (e.g. `speedup`, `spec explain`);
    /// none for the program's page.
    #[arg(value_name = "COMMAND")]
    pub command: Vec<String>,
    /// Write every page (algoperf-engine.1, algoperf-engine-speedup.1, …)
    /// into DIR instead (created if absent).
    #[arg(long, value_name = "DIR", conflicts_with = "command")]
    pub all: Option<PathBuf>,
}

/// The command tree the pages are made from: built (so each command knows
/// its full name) and without the `help` command, which has no page.
fn command_tree() -> clap::Command {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    cmd
}

/// Writes the page of the command at `path` (empty: the program).
pub fn write_page(path: &[String], out: &mut dyn std::io::Write) -> Result<()> {
    let mut cmd = command_tree();
    for (i, name) in path.iter().enumerate() {
        let names: Vec<String> = cmd
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .collect();
        let Some(sub) = cmd.find_subcommand(name).cloned() else {
            let under = std::iter::once("algoperf-engine")
                .chain(path[..i].iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join(" ");
            return Err(CommandLineError::UnknownCommand {
                name: name.clone(),
                under,
                commands: names,
            }
            .into());
        };
        cmd = sub;
    }
    clap_mangen::Man::new(cmd).render(out).map_err(stdout_error)
}

/// Runs `man`.
pub fn man_command(args: ManArgs) -> Result<()> {
    let Some(dir) = &args.all else {
        let mut buf = Vec::new();
        write_page(&args.command, &mut buf)?;
        return write_out(&buf);
    };
    let failed = |source| ReportError::Write {
        path: dir.clone(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(failed)?;
    clap_mangen::generate_to(command_tree(), dir).map_err(failed)?;
    print_err(&format!("wrote the manual pages to {}\n", dir.display()));
    Ok(())
}
