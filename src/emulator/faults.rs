//! Fault injection: the `--faults` grammar and the seeded decisions.
//!
//! ```text
//! SPEC   := RULE ("," RULE)*
//! RULE   := [METHOD ":"] FAULT [ "*" N | "%" P ]
//! METHOD := get | post | put | delete | patch | head      (any case; absent = every method)
//! FAULT  := 429            429 APIG.0308, no Retry-After header
//!         | 429=S          429 APIG.0308 with `Retry-After: S` (whole seconds)
//!         | 500 | 502 | 503 | 504
//!         | 5xx            one of 500, 502, 503, drawn from the seeded generator
//!         | reset-before   drop the connection (TCP RST) before the request is processed
//!         | reset-after    process the request, then drop the connection: the answer is lost
//!         | latency=DUR    answer DUR late (e.g. 300ms, 2s), after the request was processed
//! "*N"   the first N requests the rule examines
//! "%P"   each request the rule examines, with probability P percent (0 < P <= 100)
//! ":F"   the same as a fraction (0 < F <= 1): `429:0.2` is `429%20`
//! (none) every request the rule examines
//! ```
//!
//! Only requests that passed authentication are examined. Rules are examined
//! left to right; a rule examines a request when its method matches and no
//! earlier rule already replaced the answer (latency rules add up and do not
//! stop the examination). So `post:503*2,post:429*1` answers the first two
//! POSTs 503 and the third 429.

use std::time::Duration;

use super::rng::SplitMix64;
use crate::duration::parse_duration;

/// The parsed `--faults` spec. The default injects nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Faults {
    rules: Vec<Rule>,
}

#[derive(Debug, Clone, PartialEq)]
struct Rule {
    /// Upper-case method, or `None` for every method.
    method: Option<String>,
    fault: Fault,
    when: When,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Fault {
    Throttle { retry_after: Option<u64> },
    Status(u16),
    AnyServerError,
    ResetBefore,
    ResetAfter,
    Latency(Duration),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum When {
    Always,
    FirstN(u64),
    Percent(f64),
}

/// What to do with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Decision {
    pub action: Option<Action>,
    /// Added before the answer leaves, after any processing.
    pub latency: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// 429 APIG.0308, with `Retry-After` when set.
    Throttle {
        retry_after: Option<u64>,
    },
    /// An error status with its gateway or service body.
    Status(u16),
    ResetBefore,
    ResetAfter,
}

const METHODS: [&str; 6] = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"];

const FAULT_HELP: &str =
    "expected 429, 429=SECONDS, 500, 502, 503, 504, 5xx, reset-before, reset-after or latency=DUR";

impl Faults {
    /// Parses a spec such as `post:reset-after*1,get:503*3,429%20,latency=300ms`.
    /// An empty spec (or `none`) injects nothing.
    pub fn parse(spec: &str) -> Result<Faults, String> {
        let spec = spec.trim();
        if spec.is_empty() || spec.eq_ignore_ascii_case("none") {
            return Ok(Faults::default());
        }
        let rules = spec
            .split(',')
            .map(|r| parse_rule(r.trim()).map_err(|e| format!("--faults `{}`: {e}", r.trim())))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Faults { rules })
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

fn parse_rule(text: &str) -> Result<Rule, String> {
    if text.is_empty() {
        return Err("empty rule (two commas in a row?)".into());
    }
    let (method, rest) = match text.split_once(':') {
        Some((m, rest)) if METHODS.contains(&m.trim().to_ascii_uppercase().as_str()) => {
            (Some(m.trim().to_ascii_uppercase()), rest.trim())
        }
        // `429:0.2`: the fraction form (see below), not a method.
        Some((f, _)) if parse_fault(f.trim()).is_ok() => (None, text),
        Some((m, _)) => {
            return Err(format!(
                "unknown method `{m}`; expected get, post, put, delete, patch or head"
            ))
        }
        None => (None, text),
    };
    let (fault_text, when) = if let Some((f, n)) = rest.rsplit_once('*') {
        let n: u64 = n
            .trim()
            .parse()
            .map_err(|_| format!("`*{n}`: a count must be a whole number, e.g. *3"))?;
        if n == 0 {
            return Err("`*0` would never fire; use *1 or more".into());
        }
        (f, When::FirstN(n))
    } else if let Some((f, p)) = rest.rsplit_once('%') {
        let p: f64 = p
            .trim()
            .parse()
            .map_err(|_| format!("`%{p}`: a probability is a percentage, e.g. %20"))?;
        if !(p > 0.0 && p <= 100.0) {
            return Err(format!(
                "`%{p}`: a percentage must be above 0 and at most 100"
            ));
        }
        (f, When::Percent(p))
    } else if let Some((f, frac)) = rest.rsplit_once(':') {
        let frac: f64 = frac
            .trim()
            .parse()
            .map_err(|_| format!("`:{frac}`: a fraction is a number, e.g. :0.2"))?;
        if !(frac > 0.0 && frac <= 1.0) {
            return Err(format!(
                "`:{frac}`: a fraction must be above 0 and at most 1"
            ));
        }
        (f, When::Percent(frac * 100.0))
    } else {
        (rest, When::Always)
    };
    Ok(Rule {
        method,
        fault: parse_fault(fault_text.trim())?,
        when,
    })
}

fn parse_fault(text: &str) -> Result<Fault, String> {
    let lower = text.to_ascii_lowercase();
    let fault = match lower.split_once('=') {
        Some(("429", secs)) => Fault::Throttle {
            retry_after: Some(secs.trim().parse().map_err(|_| {
                format!("`{text}`: Retry-After is a whole number of seconds, e.g. 429=2")
            })?),
        },
        Some(("latency", dur)) => Fault::Latency(parse_duration(dur)?),
        Some(_) => return Err(format!("unknown fault `{text}`; {FAULT_HELP}")),
        None => match lower.as_str() {
            "429" => Fault::Throttle { retry_after: None },
            "500" | "502" | "503" | "504" => Fault::Status(lower.parse().unwrap_or(500)),
            "5xx" => Fault::AnyServerError,
            "reset-before" => Fault::ResetBefore,
            "reset-after" => Fault::ResetAfter,
            _ => return Err(format!("unknown fault `{text}`; {FAULT_HELP}")),
        },
    };
    Ok(fault)
}

/// The running side of a [`Faults`]: per-rule counters and the seeded
/// generator. One per emulator, behind a lock, so draws happen in the order
/// requests arrive.
#[derive(Debug)]
pub struct Injector {
    faults: Faults,
    seen: Vec<u64>,
    rng: SplitMix64,
}

impl Injector {
    pub fn new(faults: Faults, seed: u64) -> Self {
        let seen = vec![0; faults.rules.len()];
        Injector {
            faults,
            seen,
            rng: SplitMix64::new(seed),
        }
    }

    /// Decides the fate of one authenticated request.
    pub fn decide(&mut self, method: &str) -> Decision {
        let mut decision = Decision::default();
        for (i, rule) in self.faults.rules.iter().enumerate() {
            if rule
                .method
                .as_deref()
                .is_some_and(|m| !m.eq_ignore_ascii_case(method))
            {
                continue;
            }
            self.seen[i] += 1;
            let fires = match rule.when {
                When::Always => true,
                When::FirstN(n) => self.seen[i] <= n,
                When::Percent(p) => self.rng.next_f64() * 100.0 < p,
            };
            if !fires {
                continue;
            }
            let action = match rule.fault {
                Fault::Latency(d) => {
                    decision.latency += d;
                    continue;
                }
                Fault::Throttle { retry_after } => Action::Throttle { retry_after },
                Fault::Status(code) => Action::Status(code),
                Fault::AnyServerError => {
                    Action::Status([500, 502, 503][self.rng.below(3) as usize])
                }
                Fault::ResetBefore => Action::ResetBefore,
                Fault::ResetAfter => Action::ResetAfter,
            };
            decision.action = Some(action);
            break;
        }
        decision
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actions(spec: &str, seed: u64, methods: &[&str]) -> Vec<Option<Action>> {
        let mut inj = Injector::new(Faults::parse(spec).unwrap(), seed);
        methods.iter().map(|m| inj.decide(m).action).collect()
    }

    #[test]
    fn parses_the_documented_examples() {
        for spec in [
            "",
            "none",
            "post:reset-after*1,get:503*3,429%20,latency=300ms",
            "429=2*1",
            "POST:5xx%12.5",
            " get : latency=2s , reset-before*2 ",
            "delete:504",
            // The example of `poolctl emulator --help`.
            "429:0.2,5xx:0.1,latency=300ms,reset-after:0.05",
            "post:429:0.5",
        ] {
            assert!(Faults::parse(spec).is_ok(), "{spec}");
        }
        assert!(Faults::parse("").unwrap().is_empty());
        assert_eq!(Faults::parse("429:0.2"), Faults::parse("429%20"));
    }

    #[test]
    fn rejects_with_a_reason() {
        for (spec, needle) in [
            ("418", "unknown fault"),
            ("fetch:503", "unknown method"),
            ("503*0", "never fire"),
            ("503*x", "whole number"),
            ("503%0", "above 0"),
            ("503%101", "at most 100"),
            ("latency=5x", "unknown unit"),
            ("429=soon", "whole number of seconds"),
            ("503,,429", "empty rule"),
            ("503:1.5", "at most 1"),
            ("post:503:x", "a fraction is a number"),
        ] {
            let err = Faults::parse(spec).unwrap_err();
            assert!(err.contains(needle), "{spec}: {err}");
        }
    }

    #[test]
    fn counts_apply_to_the_first_matching_requests_only() {
        let got = actions("get:503*2", 1, &["POST", "GET", "GET", "GET"]);
        assert_eq!(
            got,
            vec![
                None,
                Some(Action::Status(503)),
                Some(Action::Status(503)),
                None
            ]
        );
    }

    #[test]
    fn rules_chain_left_to_right() {
        let got = actions("post:503*2,post:429=3*1", 1, &["POST"; 4]);
        assert_eq!(
            got,
            vec![
                Some(Action::Status(503)),
                Some(Action::Status(503)),
                Some(Action::Throttle {
                    retry_after: Some(3)
                }),
                None
            ]
        );
    }

    #[test]
    fn latency_adds_up_and_does_not_stop_other_rules() {
        let mut inj = Injector::new(
            Faults::parse("latency=100ms,latency=50ms*1,reset-after").unwrap(),
            1,
        );
        let first = inj.decide("POST");
        assert_eq!(first.latency, Duration::from_millis(150));
        assert_eq!(first.action, Some(Action::ResetAfter));
        assert_eq!(inj.decide("GET").latency, Duration::from_millis(100));
    }

    #[test]
    fn probabilities_are_seeded_and_roughly_right() {
        let methods = vec!["GET"; 2000];
        let a = actions("429%20", 42, &methods);
        assert_eq!(a, actions("429%20", 42, &methods), "same seed, same run");
        assert_ne!(
            a,
            actions("429%20", 43, &methods),
            "another seed, another run"
        );
        let hits = a.iter().filter(|x| x.is_some()).count();
        assert!((300..500).contains(&hits), "{hits} of 2000 at 20%");
        let all = actions("5xx%100", 3, &methods);
        assert!(all
            .iter()
            .all(|x| matches!(x, Some(Action::Status(500 | 502 | 503)))));
    }
}
