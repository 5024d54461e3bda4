use clap::Parser;

fn main() {
    let cli = poolctl::cli::Cli::parse();
    eprintln!("{cli:?}");
}
