//! The endpoints of a region: the SDK's ModelArts region table and the IAM
//! host next to it. Pure data; `settings` decides which region applies.

use crate::error::Error;

/// The regions of the SDK's ModelArts region table (api/NOTES.md).
pub const REGIONS: &[&str] = &[
    "cn-north-1",
    "cn-north-2",
    "cn-north-4",
    "cn-north-9",
    "cn-north-11",
    "cn-north-12",
    "cn-south-1",
    "cn-east-3",
    "cn-east-4",
    "cn-southwest-2",
    "cn-southwest-3",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "la-south-2",
    "la-north-2",
    "af-south-1",
    "af-north-1",
    "tr-west-1",
    "me-east-1",
    "sa-brazil-1",
];

/// The ModelArts endpoint of a region in the SDK table; an unknown region is
/// a usage error that lists the known ones.
pub fn modelarts_endpoint(region: &str) -> Result<String, Error> {
    if !REGIONS.contains(&region) {
        return Err(Error::usage_hint(
            format!("unknown region `{region}`"),
            format!(
                "known regions: {}; or give the endpoint with --endpoint URL",
                REGIONS.join(", ")
            ),
        ));
    }
    Ok(if region == "ap-southeast-1" {
        // The one exception in the SDK table.
        "https://modelarts.ap-southeast-1.myhuaweicloud.cn".to_string()
    } else {
        format!("https://modelarts.{region}.myhuaweicloud.com")
    })
}

/// The IAM endpoint derived from a region.
pub fn iam_endpoint(region: &str) -> String {
    format!("https://iam.{region}.myhuaweicloud.com")
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
        for r in REGIONS {
            assert!(hint.contains(r), "{hint} should list {r}");
        }
    }
}
