//! Pool flags: their value syntax, and how they override a manifest.

/// `K=V` from `--label` or `--annotation`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyValue {
    pub key: String,
    pub value: String,
}

pub fn parse_key_value(text: &str) -> Result<KeyValue, String> {
    match text.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok(KeyValue {
            key: k.trim().to_string(),
            value: v.to_string(),
        }),
        _ => Err(format!("`{text}` is not KEY=VALUE")),
    }
}

/// One `--resource flavor=F,count=N[,maxCount=M][,az=AZ:N]...`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResourceFlag {
    pub flavor: String,
    pub count: i64,
    pub max_count: Option<i64>,
    pub azs: Vec<(String, i64)>,
}

pub fn parse_resource(text: &str) -> Result<ResourceFlag, String> {
    const SYNTAX: &str = "write flavor=F,count=N[,maxCount=M][,az=AZ:N]...";
    let int = |key: &str, v: &str| -> Result<i64, String> {
        v.trim()
            .parse::<i64>()
            .map_err(|_| format!("{key}=`{v}` is not a whole number; {SYNTAX}"))
    };
    let (mut flavor, mut count, mut max_count, mut azs) = (None, None, None, Vec::new());
    for part in text.split(',').filter(|p| !p.trim().is_empty()) {
        let Some((key, value)) = part.split_once('=') else {
            return Err(format!("`{part}` is not key=value; {SYNTAX}"));
        };
        match key.trim() {
            "flavor" => flavor = Some(value.trim().to_string()),
            "count" => count = Some(int("count", value)?),
            "maxCount" | "max-count" | "maxcount" => max_count = Some(int("maxCount", value)?),
            "az" => {
                let Some((az, n)) = value.rsplit_once(':') else {
                    return Err(format!("az=`{value}` needs a node count: az=AZ:N"));
                };
                azs.push((az.trim().to_string(), int("az count", n)?));
            }
            other => return Err(format!("unknown key `{other}`; {SYNTAX}")),
        }
    }
    Ok(ResourceFlag {
        flavor: flavor.ok_or_else(|| format!("missing flavor=; {SYNTAX}"))?,
        count: count.ok_or_else(|| format!("missing count=; {SYNTAX}"))?,
        max_count,
        azs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_syntax() {
        let r = parse_resource("flavor=modelarts.vm.cpu.8ud,count=2,maxCount=4,az=az1:1,az=az2:1")
            .unwrap();
        assert_eq!(r.flavor, "modelarts.vm.cpu.8ud");
        assert_eq!((r.count, r.max_count), (2, Some(4)));
        assert_eq!(r.azs, vec![("az1".into(), 1), ("az2".into(), 1)]);
        assert!(parse_resource("count=2")
            .unwrap_err()
            .contains("missing flavor"));
        assert!(parse_resource("flavor=f")
            .unwrap_err()
            .contains("missing count"));
        assert!(parse_resource("flavor=f,count=x")
            .unwrap_err()
            .contains("whole number"));
        assert!(parse_resource("flavor=f,count=1,az=a")
            .unwrap_err()
            .contains("AZ:N"));
        assert!(parse_resource("flavor=f,count=1,size=3")
            .unwrap_err()
            .contains("unknown key"));
    }

    #[test]
    fn key_value_syntax() {
        assert_eq!(
            parse_key_value("a=b=c").unwrap(),
            KeyValue {
                key: "a".into(),
                value: "b=c".into()
            }
        );
        assert!(parse_key_value("novalue").is_err());
        assert!(parse_key_value("=v").is_err());
    }
}
