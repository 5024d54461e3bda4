//! How a run ends, as scripts see it. [`TABLE`] is the one list of exit codes
//! and their meanings: the `--help` text and the man page are generated from
//! it, and a test holds `docs/exit-codes.md` to it. Only `main` turns an
//! [`ExitStatus`] into the process's exit code.

use std::fmt::Write;

/// The outcome of a run. A command that has already reported a failure
/// (validation diagnostics, several pools each with its own error) returns
/// the status, not an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    Success,
    Internal,
    Usage,
    ApiRejected,
    Auth,
    AlreadyExists,
    PoolFailed,
    WaitTimeout,
    Unavailable,
    /// `diff` found differences: not a failure, a finding a pipeline branches on.
    Differs,
    HungUp,
    Interrupted,
    Terminated,
}

/// One exit code: the status, its number, and what it means.
#[derive(Debug, Clone, Copy)]
pub struct Code {
    pub status: ExitStatus,
    pub code: u8,
    pub meaning: &'static str,
}

/// Every exit code of poolctl, stable: pipelines branch on them (DESIGN.md §2).
pub const TABLE: &[Code] = &[
    Code {
        status: ExitStatus::Success,
        code: 0,
        meaning: "success",
    },
    Code {
        status: ExitStatus::Internal,
        code: 1,
        meaning: "unexpected internal error, or the result could not be written to stdout",
    },
    Code {
        status: ExitStatus::Usage,
        code: 2,
        meaning: "usage error, unreadable manifest, or local validation failed: nothing was sent",
    },
    Code {
        status: ExitStatus::ApiRejected,
        code: 3,
        meaning: "rejected by the API (400, 404, 4xx not below) or by preflight: nothing was created",
    },
    Code {
        status: ExitStatus::Auth,
        code: 4,
        meaning: "authentication or authorization failed (401/403), or no usable credentials",
    },
    Code {
        status: ExitStatus::AlreadyExists,
        code: 5,
        meaning: "the pool already exists (409) and --if-exists reuse was not given",
    },
    Code {
        status: ExitStatus::PoolFailed,
        code: 6,
        meaning: "the pool failed (CreationFailed, Error, ScalingFailed, Abnormal), or is Deleting",
    },
    Code {
        status: ExitStatus::WaitTimeout,
        code: 7,
        meaning: "the wait timed out; the pool is still being created (or deleted)",
    },
    Code {
        status: ExitStatus::Unavailable,
        code: 8,
        meaning: "unavailable, network failure after retries, or an answer that leaves the outcome unknown",
    },
    Code {
        status: ExitStatus::Differs,
        code: 9,
        meaning: "diff: the live pools differ from the manifests (apply would change them)",
    },
    Code {
        status: ExitStatus::HungUp,
        code: 129,
        meaning: "SIGHUP (the terminal went away): the pool is left as it is; poolctl wait NAME resumes",
    },
    Code {
        status: ExitStatus::Interrupted,
        code: 130,
        meaning: "SIGINT (Ctrl-C): the pool is left as it is; poolctl wait NAME resumes",
    },
    Code {
        status: ExitStatus::Terminated,
        code: 143,
        meaning:
            "SIGTERM (a cancelled CI job): the pool is left as it is; poolctl wait NAME resumes",
    },
];

impl ExitStatus {
    pub fn code(self) -> u8 {
        TABLE
            .iter()
            .find(|c| c.status == self)
            .map_or(1, |c| c.code)
    }
}

/// A signal that stops a run. Each has its exit status, as a shell reports
/// a process it killed (128 + the signal's number). SIGHUP is left to its
/// default action: catching it would undo `nohup`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// SIGINT: Ctrl-C.
    Interrupt,
    /// SIGTERM: a CI system cancelling the job, `kill`.
    Terminate,
    /// SIGHUP: the terminal or the SSH session went away (not under `nohup`,
    /// which poolctl leaves ignoring it).
    Hangup,
}

impl Signal {
    pub fn status(self) -> ExitStatus {
        match self {
            Signal::Interrupt => ExitStatus::Interrupted,
            Signal::Terminate => ExitStatus::Terminated,
            Signal::Hangup => ExitStatus::HungUp,
        }
    }

    /// What happened, as the error line says it.
    pub fn what(self) -> &'static str {
        match self {
            Signal::Interrupt => "interrupted",
            Signal::Terminate => "terminated (SIGTERM)",
            Signal::Hangup => "hung up (SIGHUP)",
        }
    }
}

/// The table as the end of `poolctl --help` shows it.
pub fn help_text() -> String {
    let mut out = String::from("Exit codes:");
    for c in TABLE {
        let _ = write!(out, "\n  {:<4} {}", c.code, c.meaning);
    }
    out
}

/// The table as a man page section (roff).
pub fn man_section() -> String {
    let mut out = String::from(".SH \"EXIT STATUS\"\n");
    for c in TABLE {
        // roff: a leading `.` or `'` would start a request, `\` an escape,
        // and `-` is a hyphen unless escaped.
        let meaning = c.meaning.replace('\\', "\\e").replace('-', "\\-");
        let _ = write!(out, ".TP\n\\fB{}\\fR\n{meaning}\n", c.code);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_one_code() {
        let all = [
            ExitStatus::Success,
            ExitStatus::Internal,
            ExitStatus::Usage,
            ExitStatus::ApiRejected,
            ExitStatus::Auth,
            ExitStatus::AlreadyExists,
            ExitStatus::PoolFailed,
            ExitStatus::WaitTimeout,
            ExitStatus::Unavailable,
            ExitStatus::Differs,
            ExitStatus::HungUp,
            ExitStatus::Interrupted,
            ExitStatus::Terminated,
        ];
        assert_eq!(all.len(), TABLE.len());
        for s in all {
            assert_eq!(TABLE.iter().filter(|c| c.status == s).count(), 1, "{s:?}");
        }
        let codes: Vec<u8> = TABLE.iter().map(|c| c.code).collect();
        assert_eq!(codes, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 129, 130, 143]);
        assert_eq!(ExitStatus::Interrupted.code(), 130);
    }

    #[test]
    fn help_and_man_list_every_code() {
        // One line each in a 100-column help, which clap would wrap.
        for c in TABLE {
            assert!(
                c.meaning.len() <= 90,
                "too long for one line: {}",
                c.meaning
            );
        }
        let help = help_text();
        let man = man_section();
        for c in TABLE {
            assert!(help.contains(&format!("\n  {:<4} {}", c.code, c.meaning)));
            assert!(man.contains(&format!("\\fB{}\\fR\n", c.code)));
        }
        assert!(man.contains("\\-\\-if\\-exists reuse"));
    }
}
