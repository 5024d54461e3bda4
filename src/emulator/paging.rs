//! What the v1 lists (resource flavors, networks, events) share: the
//! `labelSelector` they filter on, and paging with `limit` and `continue`.
//!
//! Items are listed in the order of a key (a flavor's or network's name; an
//! event's last time, then its number). A page holds at most `limit` items
//! (1 to 500); when more follow, its `metadata` has `continue`, a token to
//! send back for the next page, and `remainingItemCount`. Without `limit`,
//! everything comes in one page, with an empty `metadata`.
//!
//! The token is the emulator's own: the key of the last item given, and a
//! MAC (HMAC-SHA256, keyed from the emulator's SK, so tokens outlive a
//! restart on the same state file) over that key and the list it belongs to
//! (the resource and its filters). A token it did not issue, or one issued
//! for another list or other filters, is 400. The next page starts after
//! that key, so an item added or removed meanwhile shifts nothing: no item
//! that was there all along is skipped or given twice.

use serde_json::{json, Map, Value};

use super::reply::{shorten, ApiError};
use crate::auth::signer::{constant_time_eq, hex_sha256, hmac_hex};

/// The most items a page may hold.
pub const MAX_LIMIT: usize = 500;

/// Seals and opens `continue` tokens.
pub struct Pager {
    key: Vec<u8>,
}

/// Hex digits of the MAC kept in a token.
const MAC_LEN: usize = 24;

impl Pager {
    /// Tokens keyed from `secret` (the emulator's SK).
    pub fn new(secret: &str) -> Pager {
        Pager {
            key: hex_sha256(format!("poolctl-emulator continue\n{secret}").as_bytes()).into_bytes(),
        }
    }

    fn mac(&self, scope: &str, key: &str) -> String {
        let mut mac = hmac_hex(&self.key, format!("{scope}\0{key}").as_bytes());
        mac.truncate(MAC_LEN);
        mac
    }

    fn seal(&self, scope: &str, key: &str) -> String {
        let hex: String = key.bytes().map(|b| format!("{b:02x}")).collect();
        format!("{hex}.{}", self.mac(scope, key))
    }

    /// The key in `token`, if this pager sealed it for `scope`.
    fn open(&self, scope: &str, token: &str) -> Option<String> {
        let (hex, mac) = token.split_once('.')?;
        // No bound of its own: the request head bounds the query.
        if hex.len() % 2 != 0 {
            return None;
        }
        let bytes = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
            .collect::<Option<Vec<u8>>>()?;
        let key = String::from_utf8(bytes).ok()?;
        constant_time_eq(mac.as_bytes(), self.mac(scope, &key).as_bytes()).then_some(key)
    }
}

/// The value of the query parameter `name`, if given and not empty.
pub fn param<'a>(query: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
}

/// `key=value[,key=value]`: every pair must hold on `metadata.labels`. A
/// term without `=` continues the value before it, so
/// `os.modelarts/scope=Train,Infer,Notebook` is one pair.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Selector(Vec<(String, String)>);

impl Selector {
    pub fn from_query(query: &[(String, String)]) -> Result<Selector, ApiError> {
        param(query, "labelSelector").map_or(Ok(Selector::default()), Selector::parse)
    }

    pub fn parse(text: &str) -> Result<Selector, ApiError> {
        let bad = || {
            ApiError::bad_request(format!(
                "labelSelector {} is not key=value[,key=value]",
                shorten(text)
            ))
        };
        let mut pairs: Vec<(String, String)> = Vec::new();
        for term in text.split(',') {
            match (term.split_once('='), pairs.last_mut()) {
                (Some((k, v)), _) => {
                    let k = k.trim();
                    if k.is_empty() {
                        return Err(bad());
                    }
                    pairs.push((k.to_string(), v.trim().to_string()));
                }
                (None, Some((_, v))) => {
                    v.push(',');
                    v.push_str(term.trim());
                }
                (None, None) => return Err(bad()),
            }
        }
        Ok(Selector(pairs))
    }

    /// Whether every pair holds on `labels` (an object of strings).
    pub fn matches(&self, labels: &Value) -> bool {
        self.0
            .iter()
            .all(|(k, v)| labels.get(k).and_then(Value::as_str) == Some(v.as_str()))
    }

    /// The pairs as one text, for binding a token to them.
    pub fn text(&self) -> String {
        self.0
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// Where a page starts and how long it is, from `limit` and `continue`.
pub struct Page<'a> {
    pager: &'a Pager,
    scope: String,
    limit: Option<usize>,
    after: Option<String>,
}

impl<'a> Page<'a> {
    /// `resource` and `filters` bind the tokens to this list: a token given
    /// for another resource or other filters is refused.
    pub fn from_query(
        query: &[(String, String)],
        pager: &'a Pager,
        resource: &str,
        filters: &str,
    ) -> Result<Page<'a>, ApiError> {
        let limit = match param(query, "limit") {
            None => None,
            Some(l) => match l.parse::<usize>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) && l.bytes().all(|b| b.is_ascii_digit()) => {
                    Some(n)
                }
                _ => {
                    return Err(ApiError::bad_request(format!(
                        "limit must be an integer from 1 to {MAX_LIMIT}, not {}",
                        shorten(l)
                    )))
                }
            },
        };
        let scope = format!("{resource}\n{filters}");
        let after = match param(query, "continue") {
            None => None,
            Some(token) => Some(pager.open(&scope, token).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "continue token {} was not issued for this list",
                    shorten(token)
                ))
            })?),
        };
        Ok(Page {
            pager,
            scope,
            limit,
            after,
        })
    }

    /// The list answer: `items` are `(key, item)` sorted by key; the page
    /// holds those after the token's key, at most `limit` of them.
    pub fn answer(&self, items: Vec<(String, Value)>) -> Value {
        let rest: Vec<(String, Value)> = items
            .into_iter()
            .filter(|(k, _)| self.after.as_ref().is_none_or(|a| k > a))
            .collect();
        let total = rest.len();
        let take = self.limit.unwrap_or(total).min(total);
        let mut metadata = Map::new();
        if take < total {
            let last = &rest[take - 1].0;
            metadata.insert("continue".into(), json!(self.pager.seal(&self.scope, last)));
            metadata.insert("remainingItemCount".into(), json!(total - take));
        }
        let page: Vec<Value> = rest.into_iter().take(take).map(|(_, v)| v).collect();
        json!({"apiVersion": "v1", "kind": "List", "metadata": metadata, "items": page})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn items(n: usize) -> Vec<(String, Value)> {
        (0..n).map(|i| (format!("k{i:02}"), json!(i))).collect()
    }

    #[test]
    fn pages_to_the_end_and_tokens_are_bound_to_their_list() {
        let pager = Pager::new("sk");
        let mut query = q(&[("limit", "2")]);
        let mut seen = Vec::new();
        loop {
            let page = Page::from_query(&query, &pager, "r", "").unwrap();
            let a = page.answer(items(5));
            seen.extend(a["items"].as_array().unwrap().iter().cloned());
            match a["metadata"]["continue"].as_str() {
                Some(t) => {
                    assert!(a["metadata"]["remainingItemCount"].as_u64().unwrap() > 0);
                    query = q(&[("limit", "2"), ("continue", t)]);
                }
                None => {
                    assert_eq!(a["metadata"], json!({}));
                    break;
                }
            }
        }
        assert_eq!(seen, (0..5).map(|i| json!(i)).collect::<Vec<_>>());
        let token = pager.seal("r\n", "k01");
        assert!(Page::from_query(&q(&[("continue", &token)]), &pager, "r", "").is_ok());
        for (resource, filters, tok) in [
            ("other", "", token.as_str()),
            ("r", "a=b", token.as_str()),
            ("r", "", "garbage"),
            ("r", "", "6b3031.000000000000000000000000"),
        ] {
            let err = Page::from_query(&q(&[("continue", tok)]), &pager, resource, filters)
                .err()
                .unwrap();
            assert_eq!(err.status, 400);
        }
        // Keys of any length (a network name a pool sent) round-trip.
        let long = "n".repeat(5_000);
        assert_eq!(pager.open("r\n", &pager.seal("r\n", &long)), Some(long));
        let other = Pager::new("another sk");
        assert!(Page::from_query(&q(&[("continue", &token)]), &other, "r", "").is_err());
    }

    #[test]
    fn limits_outside_1_to_500_are_refused() {
        let pager = Pager::new("sk");
        for bad in ["0", "501", "-1", "x", "+3", "1.5"] {
            let r = Page::from_query(&q(&[("limit", bad)]), &pager, "r", "");
            assert!(r.is_err(), "{bad}");
        }
        for good in ["1", "500", ""] {
            assert!(Page::from_query(&q(&[("limit", good)]), &pager, "r", "").is_ok());
        }
    }

    #[test]
    fn selectors_take_values_with_commas() {
        let s = Selector::parse("os.modelarts/scope=Train,Infer,Notebook").unwrap();
        assert!(s.matches(&json!({"os.modelarts/scope": "Train,Infer,Notebook"})));
        assert!(!s.matches(&json!({"os.modelarts/scope": "Train"})));
        let two = Selector::parse("a=1, b = 2").unwrap();
        assert!(two.matches(&json!({"a": "1", "b": "2"})));
        assert!(!two.matches(&json!({"a": "1"})));
        assert!(Selector::parse("justakey").is_err());
        assert!(Selector::parse("=v").is_err());
    }
}
