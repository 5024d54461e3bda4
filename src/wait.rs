//! Following a pool until it runs, fails or is gone: the poll schedule,
//! terminal phases, and progress events. It prints nothing; the output
//! module renders the events.

use std::time::Duration;

// The clock the poller sleeps on, so schedules and deadlines agree (and can
// run on virtual time in tests).
use tokio::time::Instant;

use crate::client::{Client, Fetched};
use crate::duration::format_duration;
use crate::error::Error;
use crate::model::{phase, Capacity};

/// Poll after a tenth of the time waited so far, within bounds: a pool that
/// is ready in 3 s is seen within 0.5 s, and a 20-minute creation costs about
/// 100 show calls (Terraform's old waiter: 60 at a fixed 20 s, but it sees a
/// short creation 20 s late).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Schedule {
    pub min: Duration,
    pub max: Duration,
    /// The delay as a share of the time waited so far.
    pub ratio: f64,
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule {
            min: Duration::from_millis(500),
            max: Duration::from_secs(20),
            ratio: 0.1,
        }
    }
}

impl Schedule {
    pub fn delay_after(&self, waited: Duration) -> Duration {
        waited.mul_f64(self.ratio).clamp(self.min, self.max)
    }

    /// Show calls made for a creation that takes `total`, counting the one
    /// that sees it finished.
    pub fn calls_for(&self, total: Duration) -> usize {
        let mut t = Duration::ZERO;
        let mut calls = 0;
        loop {
            t += self.delay_after(t);
            calls += 1;
            if t >= total {
                return calls;
            }
        }
    }
}

/// What the poller saw; rendered by `output::Progress`.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Polled {
        phase: Option<String>,
        capacity: Capacity,
        /// The unpaid order a `Waiting` pool waits for.
        order: Option<String>,
        elapsed: Duration,
    },
    /// A poll failed after the client's own retries; waiting goes on.
    Transient { error: String, elapsed: Duration },
}

/// What a wait waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Goal {
    Running,
    Deleted,
    /// `Running`, each flavor with the nodes its spec asks for available,
    /// none still coming or going: the end of a scale, during which the
    /// phase stays `Running`.
    Scaled,
}

impl Goal {
    /// The command that picks a wait up again: the one resume hint of every
    /// message (a timeout, a signal, a failed pool).
    pub fn resume_command(self, name: &str) -> String {
        match self {
            Goal::Running | Goal::Scaled => format!("poolctl wait {name}"),
            // Works whether the pool is still going or already gone.
            Goal::Deleted => format!("poolctl delete {name} --wait --ignore-not-found"),
        }
    }

    /// What the pool is still being while the goal is not reached.
    pub fn still(self) -> &'static str {
        match self {
            Goal::Running => "created",
            Goal::Deleted => "deleted",
            Goal::Scaled => "scaled",
        }
    }
}

/// The line that tells how to resume the waits a signal stopped, for the
/// pools (by the names the user gave them) and what each was waited for.
pub fn resume_hint(waiting: &[(String, Goal)]) -> Option<String> {
    let commands: Vec<String> = waiting
        .iter()
        .map(|(name, goal)| goal.resume_command(name))
        .collect();
    let all = |g: Goal| {
        waiting.iter().all(|(_, goal)| match (goal, g) {
            (Goal::Scaled, Goal::Running) => true,
            _ => *goal == g,
        })
    };
    let state = if all(Goal::Running) {
        "created"
    } else if all(Goal::Deleted) {
        "deleted"
    } else {
        "created or deleted"
    };
    match commands.len() {
        0 => None,
        1 if all(Goal::Deleted) => Some(format!(
            "the pool is still being deleted; resume with: {}",
            commands[0]
        )),
        1 => Some(format!(
            "the pool is still being created and was left as it is; resume with: {}",
            commands[0]
        )),
        _ => Some(format!(
            "the pools are still being {state} and were left as they are; resume with: {}",
            commands.join("; ")
        )),
    }
}

/// Where the poller reads a pool from: the client, or a script in tests.
pub trait ShowPool {
    fn show(&self, name: &str) -> impl std::future::Future<Output = Result<Fetched, Error>> + Send;
}

impl ShowPool for Client {
    fn show(&self, name: &str) -> impl std::future::Future<Output = Result<Fetched, Error>> + Send {
        self.show_pool(name)
    }
}

/// How a wait ended: the last state of the pool seen (for `Deleted`, the
/// one before it was gone), and whether the goal was reached. The last state
/// is the result even when the wait failed, so a pipeline learns which pool
/// to inspect or clean up.
#[derive(Debug)]
pub struct Waited {
    pub last: Option<Fetched>,
    pub result: Result<(), Error>,
}

/// Whether `pool` has reached `goal`, failed it, or neither yet.
fn judge(pool: &Fetched, name: &str, goal: Goal) -> Option<Result<(), Error>> {
    match (goal, pool.pool.phase()) {
        (Goal::Running, Some(phase::RUNNING)) => Some(Ok(())),
        (Goal::Scaled, Some(phase::RUNNING)) => pool.pool.settled().then_some(Ok(())),
        (Goal::Running | Goal::Scaled, Some(p)) if phase::is_failed(p) || p == phase::DELETING => {
            Some(Err(Error::PoolFailed {
                name: name.to_string(),
                target: name.to_string(),
                phase: p.to_string(),
                message: pool.pool.status.message.clone(),
                events: Vec::new(),
            }))
        }
        _ => None,
    }
}

/// Follows `initial` (a pool with its `metadata.name`) until the goal is
/// reached. The state in hand is judged before any wait, so a timeout of 0
/// checks once. Polls that fail for longer than `max_outage` end the wait
/// (exit 8), with the last state seen.
pub async fn until(
    client: &(impl ShowPool + Sync),
    initial: Fetched,
    goal: Goal,
    timeout: Duration,
    max_outage: Duration,
    schedule: Schedule,
    on_event: &mut (dyn FnMut(Event) + Send),
) -> Waited {
    let name = initial.pool.name().unwrap_or_default().to_string();
    let start = Instant::now();
    let deadline = start + timeout;
    let mut unavailable_since: Option<Instant> = None;
    let mut last = Some(initial);
    let end = |last: Option<Fetched>, result| Waited { last, result };
    loop {
        if let Some(verdict) = last.as_ref().and_then(|f| judge(f, &name, goal)) {
            return end(last, verdict);
        }
        let now = Instant::now();
        if now >= deadline {
            let err = Error::WaitTimeout {
                name: name.clone(),
                target: name.clone(),
                waited: format_duration(timeout),
                goal,
                order: last.as_ref().and_then(|f| f.pool.waiting_order()),
            };
            return end(last, Err(err));
        }
        let delay = schedule.delay_after(start.elapsed());
        tokio::time::sleep(delay.min(deadline - now)).await;
        let elapsed = start.elapsed();
        match client.show(&name).await {
            Ok(fetched) => {
                unavailable_since = None;
                on_event(Event::Polled {
                    // The create answer has no phase; a show may lack it too.
                    phase: fetched.pool.phase().map(str::to_string),
                    capacity: fetched.pool.capacity(),
                    order: fetched.pool.waiting_order(),
                    elapsed,
                });
                last = Some(fetched);
            }
            Err(e) if goal == Goal::Deleted && crate::client::is_not_found(&e) => {
                return end(last, Ok(()))
            }
            Err(e) if matches!(e, Error::Unavailable { .. } | Error::Unreadable { .. }) => {
                let detail = e.to_string();
                let since = *unavailable_since.get_or_insert_with(Instant::now);
                on_event(Event::Transient {
                    error: detail.clone(),
                    elapsed,
                });
                if since.elapsed() > max_outage {
                    let err = Error::Unavailable {
                        what: format!("waiting for pool {name}"),
                        detail: format!(
                            "the service has not answered for {}: {detail}",
                            format_duration(since.elapsed())
                        ),
                    };
                    return end(last, Err(err));
                }
            }
            Err(other) => return end(last, Err(other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_resume_hint_for_every_wait() {
        let running = |n: &str| (n.to_string(), Goal::Running);
        let deleted = |n: &str| (n.to_string(), Goal::Deleted);
        assert_eq!(resume_hint(&[]), None);
        assert_eq!(
            resume_hint(&[running("a")]).unwrap(),
            "the pool is still being created and was left as it is; resume with: poolctl wait a"
        );
        assert_eq!(
            resume_hint(&[deleted("a")]).unwrap(),
            "the pool is still being deleted; resume with: poolctl delete a --wait --ignore-not-found"
        );
        assert_eq!(
            resume_hint(&[running("a"), running("b")]).unwrap(),
            "the pools are still being created and were left as they are; \
             resume with: poolctl wait a; poolctl wait b"
        );
        assert!(resume_hint(&[running("a"), deleted("b")])
            .unwrap()
            .contains("created or deleted"));
    }

    #[test]
    fn short_creations_are_seen_quickly() {
        let s = Schedule::default();
        assert_eq!(s.delay_after(Duration::ZERO), Duration::from_millis(500));
        assert_eq!(
            s.delay_after(Duration::from_secs(3)),
            Duration::from_millis(500)
        );
        assert_eq!(
            s.delay_after(Duration::from_secs(60)),
            Duration::from_secs(6)
        );
        assert_eq!(
            s.delay_after(Duration::from_secs(3600)),
            Duration::from_secs(20)
        );
    }

    /// A pool that is `Creating` until `ready_after`, then `Running`, on the
    /// runtime's clock, counting the show calls.
    struct Scripted {
        start: tokio::time::Instant,
        ready_after: Duration,
        calls: std::sync::atomic::AtomicUsize,
    }

    impl ShowPool for Scripted {
        fn show(
            &self,
            _: &str,
        ) -> impl std::future::Future<Output = Result<Fetched, Error>> + Send {
            self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let phase = if self.start.elapsed() >= self.ready_after {
                "Running"
            } else {
                "Creating"
            };
            std::future::ready(Ok(fetched(phase)))
        }
    }

    fn fetched(phase: &str) -> Fetched {
        let raw = serde_json::json!({"metadata": {"name": "p"}, "status": {"phase": phase}});
        let pool = serde_json::from_value(raw.clone()).unwrap();
        Fetched {
            raw,
            pool,
            unreadable: Vec::new(),
        }
    }

    /// The real poller over virtual time (tokio's paused clock).
    async fn show_calls_for(ready_after: Duration) -> (usize, Duration) {
        let pool = Scripted {
            start: tokio::time::Instant::now(),
            ready_after,
            calls: Default::default(),
        };
        let done = until(
            &pool,
            fetched("Creating"),
            Goal::Running,
            Duration::from_secs(90 * 60),
            Duration::from_secs(300),
            Schedule::default(),
            &mut |_| {},
        )
        .await;
        done.result.unwrap();
        assert_eq!(done.last.unwrap().pool.phase(), Some("Running"));
        let late = pool.start.elapsed() - ready_after;
        (pool.calls.into_inner(), late)
    }

    #[tokio::test(start_paused = true)]
    async fn simulated_twenty_minute_creation() {
        let (calls, late) = show_calls_for(Duration::from_secs(20 * 60)).await;
        println!("simulated 20-minute creation: {calls} show calls, seen {late:?} after Running");
        assert!(calls <= 120, "{calls} calls: more than one per 10 s");
        assert!(calls >= 20, "{calls} calls: suspiciously few");
        let (calls, late) = show_calls_for(Duration::from_secs(3)).await;
        println!("simulated 3-second creation: {calls} show calls, seen {late:?} after Running");
        assert!(late <= Duration::from_millis(500), "{late:?}");
    }

    #[test]
    fn a_twenty_minute_creation_costs_under_one_call_per_ten_seconds() {
        let s = Schedule::default();
        let calls = s.calls_for(Duration::from_secs(20 * 60));
        assert!(calls <= 120, "{calls} calls");
        // And the schedule is not a tight fixed loop: it backs off.
        assert!(s.calls_for(Duration::from_secs(10)) >= 10);
        assert!(calls < 20 * 60 * 2);
    }
}
