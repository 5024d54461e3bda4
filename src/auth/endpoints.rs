//! The endpoints of a region: the SDK's ModelArts region table plus Open
//! Telekom Cloud, and the IAM host next to each. Pure data; `settings`
//! decides which region applies.

use crate::error::Error;

/// The clouds poolctl knows the host names of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cloud {
    HuaweiCloud,
    OpenTelekomCloud,
}

/// The regions of the SDK's ModelArts region table (api/NOTES.md), then
/// Open Telekom Cloud's (DESIGN.md §2).
pub const REGIONS: &[(&str, Cloud)] = &[
    ("cn-north-1", Cloud::HuaweiCloud),
    ("cn-north-2", Cloud::HuaweiCloud),
    ("cn-north-4", Cloud::HuaweiCloud),
    ("cn-north-9", Cloud::HuaweiCloud),
    ("cn-north-11", Cloud::HuaweiCloud),
    ("cn-north-12", Cloud::HuaweiCloud),
    ("cn-south-1", Cloud::HuaweiCloud),
    ("cn-east-3", Cloud::HuaweiCloud),
    ("cn-east-4", Cloud::HuaweiCloud),
    ("cn-southwest-2", Cloud::HuaweiCloud),
    ("cn-southwest-3", Cloud::HuaweiCloud),
    ("ap-southeast-1", Cloud::HuaweiCloud),
    ("ap-southeast-2", Cloud::HuaweiCloud),
    ("ap-southeast-3", Cloud::HuaweiCloud),
    ("ap-southeast-4", Cloud::HuaweiCloud),
    ("la-south-2", Cloud::HuaweiCloud),
    ("la-north-2", Cloud::HuaweiCloud),
    ("af-south-1", Cloud::HuaweiCloud),
    ("af-north-1", Cloud::HuaweiCloud),
    ("tr-west-1", Cloud::HuaweiCloud),
    ("me-east-1", Cloud::HuaweiCloud),
    ("sa-brazil-1", Cloud::HuaweiCloud),
    ("eu-de", Cloud::OpenTelekomCloud),
    ("eu-nl", Cloud::OpenTelekomCloud),
];

fn cloud_of(region: &str) -> Result<Cloud, Error> {
    REGIONS
        .iter()
        .find(|(r, _)| *r == region)
        .map(|(_, c)| *c)
        .ok_or_else(|| {
            Error::usage_hint(
                format!("unknown region `{region}`"),
                format!(
                    "known regions: {}; or give the endpoint with --endpoint URL \
                     (and --iam-endpoint URL or --project-id ID)",
                    REGIONS
                        .iter()
                        .map(|(r, _)| *r)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })
}

/// The ModelArts endpoint of a known region; an unknown region is a usage
/// error that lists the known ones.
pub fn modelarts_endpoint(region: &str) -> Result<String, Error> {
    Ok(match cloud_of(region)? {
        // The one exception in the SDK table.
        Cloud::HuaweiCloud if region == "ap-southeast-1" => {
            "https://modelarts.ap-southeast-1.myhuaweicloud.cn".to_string()
        }
        Cloud::HuaweiCloud => format!("https://modelarts.{region}.myhuaweicloud.com"),
        Cloud::OpenTelekomCloud => format!("https://modelarts.{region}.otc.t-systems.com"),
    })
}

/// The IAM endpoint of a region, for a ModelArts endpoint taken from the
/// table. A region not in the table gets Huawei Cloud's pattern, as the SDK
/// does.
pub fn iam_endpoint(region: &str) -> String {
    match cloud_of(region) {
        Ok(Cloud::OpenTelekomCloud) => format!("https://iam.{region}.otc.t-systems.com"),
        _ => format!("https://iam.{region}.myhuaweicloud.com"),
    }
}

/// The scheme and host (with any port) of an `http(s)://` URL, in lower
/// case (host names are not case-sensitive).
fn scheme_and_host(url: &str) -> Option<(String, String)> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    (!host.is_empty()).then(|| (scheme.to_ascii_lowercase(), host.to_ascii_lowercase()))
}

/// The IAM endpoint of a ModelArts endpoint that was given (not taken from
/// the table). The table's own endpoint of a region gets that region's IAM
/// host (`ap-southeast-1`'s ModelArts is on `.cn`, its IAM on `.com`);
/// another `modelarts.X` gets `iam.X`, on the endpoint's own domain, never
/// another cloud's. Any other host (a gateway, the emulator) serves IAM
/// itself as far as poolctl can tell, so its own scheme and host are used.
pub fn iam_endpoint_of(endpoint: &str) -> Option<String> {
    let (scheme, host) = scheme_and_host(endpoint)?;
    if let Some(region) = region_of(endpoint) {
        let origin = format!("{scheme}://{host}");
        if modelarts_endpoint(&region).is_ok_and(|table| table == origin) {
            return Some(iam_endpoint(&region));
        }
    }
    Some(match host.strip_prefix("modelarts.") {
        Some(rest) if !rest.is_empty() => format!("{scheme}://iam.{rest}"),
        _ => format!("{scheme}://{host}"),
    })
}

/// The region named in a ModelArts host `modelarts.{region}.{domain}`, so
/// that `--endpoint` alone is enough to look the project up.
pub fn region_of(endpoint: &str) -> Option<String> {
    let (_, host) = scheme_and_host(endpoint)?;
    let host = host.split(':').next()?;
    let mut labels = host.strip_prefix("modelarts.")?.split('.');
    let region = labels.next()?;
    // At least a domain and a top-level domain after the region.
    let is_region = region.len() >= 4
        && region.contains('-')
        && region
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    (is_region && labels.count() >= 2).then(|| region.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_table() {
        assert_eq!(
            modelarts_endpoint("ap-southeast-3").unwrap(),
            "https://modelarts.ap-southeast-3.myhuaweicloud.com"
        );
        assert_eq!(
            modelarts_endpoint("ap-southeast-1").unwrap(),
            "https://modelarts.ap-southeast-1.myhuaweicloud.cn"
        );
        assert_eq!(
            iam_endpoint("ap-southeast-1"),
            "https://iam.ap-southeast-1.myhuaweicloud.com"
        );
        let err = modelarts_endpoint("mars-north-1").unwrap_err();
        assert_eq!(err.exit_status().code(), 2);
        assert!(err.to_string().contains("mars-north-1"));
        let hint = err.hint().unwrap();
        for (r, _) in REGIONS {
            assert!(hint.contains(r), "{hint} should list {r}");
        }
        assert!(hint.contains("--iam-endpoint") && hint.contains("--project-id"));
    }

    #[test]
    fn open_telekom_cloud() {
        for region in ["eu-de", "eu-nl"] {
            assert_eq!(
                modelarts_endpoint(region).unwrap(),
                format!("https://modelarts.{region}.otc.t-systems.com")
            );
            assert_eq!(
                iam_endpoint(region),
                format!("https://iam.{region}.otc.t-systems.com")
            );
        }
    }

    #[test]
    fn iam_from_the_endpoint_domain() {
        assert_eq!(
            iam_endpoint_of("https://modelarts.eu-de.otc.t-systems.com").as_deref(),
            Some("https://iam.eu-de.otc.t-systems.com")
        );
        assert_eq!(
            iam_endpoint_of("https://modelarts.cn-north-4.myhuaweicloud.com:443/x").as_deref(),
            Some("https://iam.cn-north-4.myhuaweicloud.com:443")
        );
        assert_eq!(
            iam_endpoint_of("http://127.0.0.1:8765").as_deref(),
            Some("http://127.0.0.1:8765")
        );
        assert_eq!(iam_endpoint_of("nonsense"), None);
        // The table's own endpoint of a region: that region's IAM host.
        assert_eq!(
            iam_endpoint_of("https://modelarts.ap-southeast-1.myhuaweicloud.cn").as_deref(),
            Some("https://iam.ap-southeast-1.myhuaweicloud.com")
        );
        // Host names are not case-sensitive.
        assert_eq!(
            iam_endpoint_of("https://MODELARTS.eu-de.OTC.t-systems.com").as_deref(),
            Some("https://iam.eu-de.otc.t-systems.com")
        );
        assert_eq!(
            region_of("https://MODELARTS.EU-DE.otc.t-systems.com").as_deref(),
            Some("eu-de")
        );
    }

    #[test]
    fn region_from_the_endpoint() {
        assert_eq!(
            region_of("https://modelarts.eu-de.otc.t-systems.com").as_deref(),
            Some("eu-de")
        );
        assert_eq!(
            region_of("https://modelarts.ap-southeast-3.myhuaweicloud.com:443").as_deref(),
            Some("ap-southeast-3")
        );
        assert_eq!(region_of("http://127.0.0.1:8765"), None);
        assert_eq!(region_of("https://modelarts.example.com"), None);
        assert_eq!(region_of("https://gateway.eu-de.example.com"), None);
    }
}
