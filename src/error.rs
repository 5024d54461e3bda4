//! The one typed error of poolctl. Every failure that reaches the binary's
//! edge is one of these; [`Error::exit_status`] says which exit status it is,
//! and `main` turns that into the process's exit code (DESIGN.md §2).

use std::fmt;

use crate::exit::{ExitStatus, Signal};
use crate::wait::Goal;

/// What the API said when it refused a request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub error_code: Option<String>,
    pub error_msg: Option<String>,
    pub request_id: Option<String>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Status 0: no HTTP answer (the message says what happened instead).
        if self.status == 0 {
            write!(f, "no HTTP answer")?;
        } else {
            write!(f, "HTTP {}", self.status)?;
        }
        if let Some(code) = &self.error_code {
            write!(f, "\n  error_code: {code}")?;
        }
        if let Some(msg) = &self.error_msg {
            write!(f, "\n  error_msg:  {msg}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, "\n  request id: {id}")?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad flags or arguments; nothing was sent.
    #[error("{message}")]
    Usage {
        message: String,
        hint: Option<String>,
    },

    #[error("no credentials found")]
    NoCredentials { looked_at: Vec<String> },

    /// Credentials were found but cannot be used (only an AK, or only an SK,
    /// or an unreadable credentials file). The message names what is missing
    /// and never holds a secret value.
    #[error("{message}")]
    InvalidCredentials { message: String },

    #[error("{what}: authentication failed: {api}")]
    Auth { what: String, api: ApiError },

    #[error("{what}: {}: {api}", if api.status == 409 { "the pool already exists" } else { "the name is taken" })]
    AlreadyExists { what: String, api: ApiError },

    #[error("{what}: the API rejected the request: {api}")]
    Api { what: String, api: ApiError },

    /// The service answered, and what it said means the request cannot
    /// succeed (no such project, ...): exit 3, as a rejection.
    #[error("{what}: {detail}")]
    CannotSucceed { what: String, detail: String },

    #[error("{}", pool_failed(name, phase, message.as_deref(), events))]
    PoolFailed {
        name: String,
        /// The pool as commands name it: `NAME[ --workspace-id W]`.
        target: String,
        phase: String,
        message: Option<String>,
        /// Its recent Warning events, one line each (already made safe for
        /// a terminal, so one event is one line), oldest first.
        events: Vec<String>,
    },

    #[error("timed out after {waited} waiting for pool {name}; it is still being {}{}", goal.still(),
        order.as_deref().map(|o| format!(": waiting for order {o} to be paid")).unwrap_or_default())]
    WaitTimeout {
        name: String,
        /// The pool as commands name it: `NAME[ --workspace-id W]`.
        target: String,
        waited: String,
        goal: Goal,
        /// The unpaid order the pool is `Waiting` for, if any.
        order: Option<String>,
    },

    #[error("{what}: {detail}")]
    Unavailable { what: String, detail: String },

    /// The service answered (a 2xx), but the answer cannot be read as what
    /// was asked for, so the outcome is unknown (exit 8). Never described as
    /// "did not answer".
    #[error("{what}: the service answered HTTP {status}, but {detail}")]
    Unreadable {
        what: String,
        status: u16,
        detail: String,
    },

    /// Another error with a hint that knows more than the error itself (the
    /// pool that exists, the flag that would help).
    #[error("{source}")]
    Hinted { source: Box<Error>, hint: String },

    /// A signal stopped the run. `resume` is the line that tells how to
    /// pick up again.
    #[error("{}", signal.what())]
    Interrupted {
        signal: Signal,
        resume: Option<String>,
    },

    /// The result could not be written to stdout (a closed pipe is not a
    /// failure: the printer drops the rest of the result).
    #[error("cannot write the result to stdout: {0}")]
    Output(std::io::Error),

    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl Error {
    pub fn usage(message: impl Into<String>) -> Self {
        Error::Usage {
            message: message.into(),
            hint: None,
        }
    }

    pub fn usage_hint(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Error::Usage {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }

    /// This error, with `hint` in place of its own.
    pub fn with_hint(self, hint: impl Into<String>) -> Self {
        let source = match self {
            Error::Hinted { source, .. } => source,
            other => Box::new(other),
        };
        Error::Hinted {
            source,
            hint: hint.into(),
        }
    }

    /// The error under any [`Error::Hinted`].
    pub fn inner(&self) -> &Error {
        match self {
            Error::Hinted { source, .. } => source.inner(),
            other => other,
        }
    }

    pub fn exit_status(&self) -> ExitStatus {
        match self {
            Error::Usage { .. } => ExitStatus::Usage,
            Error::NoCredentials { .. } | Error::InvalidCredentials { .. } | Error::Auth { .. } => {
                ExitStatus::Auth
            }
            Error::AlreadyExists { .. } => ExitStatus::AlreadyExists,
            Error::Api { .. } | Error::CannotSucceed { .. } => ExitStatus::ApiRejected,
            Error::PoolFailed { .. } => ExitStatus::PoolFailed,
            Error::WaitTimeout { .. } => ExitStatus::WaitTimeout,
            Error::Unavailable { .. } | Error::Unreadable { .. } => ExitStatus::Unavailable,
            Error::Hinted { source, .. } => source.exit_status(),
            Error::Interrupted { signal, .. } => signal.status(),
            Error::Output(_) | Error::Internal(_) => ExitStatus::Internal,
        }
    }

    /// A line that tells the user what to do next, where one helps.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::Usage { hint, .. } => hint.clone(),
            Error::NoCredentials { looked_at } => Some(format!(
                "looked at: {}\n  set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK, write ~/.huaweicloud/credentials, \
                 set POOLCTL_AUTH_TOKEN, on an ECS give the instance an agency, \
                 or try it with no account: add --emulator",
                looked_at.join(", ")
            )),
            Error::AlreadyExists { .. } => Some(
                "add --if-exists reuse to adopt the existing pool, or choose another --name".into(),
            ),
            Error::WaitTimeout {
                target: name,
                goal,
                order: Some(order),
                ..
            } => Some(format!(
                "pay order {order} (in the console: Billing Center, My Orders); the pool is \
                 created once it is paid; follow it with: {}",
                goal.resume_command(name)
            )),
            Error::WaitTimeout {
                target: name, goal, ..
            } => Some(format!(
                "the pool keeps being {}; follow it with: {}",
                goal.still(),
                goal.resume_command(name)
            )),
            Error::Interrupted { resume, .. } => resume.clone(),
            Error::PoolFailed {
                target: name,
                phase,
                ..
            } if phase == crate::model::phase::DELETING => {
                Some(format!(
                    "someone deleted it; it is gone once `poolctl delete {name} --wait \
                     --ignore-not-found` ends, and can then be created again"
                ))
            }
            Error::PoolFailed { target: name, .. } => Some(format!(
                "see why with: poolctl describe {name}; remove it with: poolctl delete {name}"
            )),
            Error::Unavailable { .. } => Some(
                "the service did not answer after retries; check --endpoint and the network, then run again"
                    .into(),
            ),
            Error::Unreadable { status, .. } => Some(format!(
                "the service answered HTTP {status} in a form poolctl cannot read; \
                 see the answer with -vv, and check the outcome with poolctl get or poolctl list"
            )),
            Error::Hinted { hint, .. } => Some(hint.clone()),
            Error::Auth { .. } => Some(
                "check the AK/SK (or token) and that the clock is right: signatures are valid for 15 minutes"
                    .into(),
            ),
            _ => None,
        }
    }
}

fn pool_failed(name: &str, phase: &str, message: Option<&str>, events: &[String]) -> String {
    let message = message.map(|m| format!(": {m}")).unwrap_or_default();
    let mut text = if phase == crate::model::phase::DELETING {
        format!("pool {name} is being deleted, so it will never run{message}")
    } else {
        format!("pool {name} reached phase {phase}{message}")
    };
    if !events.is_empty() {
        text.push_str("\n  recent warning events:");
        for e in events {
            text.push_str("\n    ");
            text.push_str(e);
        }
    }
    text
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_follow_the_contract() {
        let api = ApiError::default();
        let cases: Vec<(Error, u8)> = vec![
            (Error::usage("x"), 2),
            (
                Error::Api {
                    what: "x".into(),
                    api: api.clone(),
                },
                3,
            ),
            (Error::NoCredentials { looked_at: vec![] }, 4),
            (
                Error::InvalidCredentials {
                    message: "x".into(),
                },
                4,
            ),
            (
                Error::Auth {
                    what: "x".into(),
                    api: api.clone(),
                },
                4,
            ),
            (
                Error::AlreadyExists {
                    what: "x".into(),
                    api,
                },
                5,
            ),
            (
                Error::PoolFailed {
                    name: "p".into(),
                    target: "p".into(),
                    phase: "CreationFailed".into(),
                    message: None,
                    events: Vec::new(),
                },
                6,
            ),
            (
                Error::WaitTimeout {
                    name: "p".into(),
                    target: "p".into(),
                    waited: "1s".into(),
                    goal: Goal::Running,
                    order: None,
                },
                7,
            ),
            (
                Error::Unavailable {
                    what: "x".into(),
                    detail: "y".into(),
                },
                8,
            ),
            (
                Error::Interrupted {
                    signal: Signal::Interrupt,
                    resume: None,
                },
                130,
            ),
            (
                Error::Interrupted {
                    signal: Signal::Terminate,
                    resume: None,
                },
                143,
            ),
            (Error::Output(std::io::ErrorKind::StorageFull.into()), 1),
            (Error::Internal(anyhow::anyhow!("boom")), 1),
        ];
        for (err, code) in cases {
            assert_eq!(err.exit_status().code(), code, "{err:?}");
        }
    }
}
