//! The resource-flavor catalogue: what `GET /v1/{project_id}/resourceflavors`
//! answers, what a create may name (any other flavor is 404
//! `ModelArts.50005101`), and where each flavor is sold out. The lifecycle
//! reads the sold-out states from here: a pool whose flavor is sold out in
//! every availability zone it may use never gets that flavor's nodes.
//!
//! The availability zones of a region `R` are `Ra` and `Rb`. Each item has
//! the shape of the official SDK's `ResourceFlavor` (cpu and sizes as
//! strings, as the SDK declares them).

use serde_json::{json, Map, Value};

use super::paging::{Page, Pager, Selector};
use super::reply::ApiError;

/// An accelerator card of a flavor.
struct Accelerator {
    /// `gpu` or `npu`: the key under `spec`.
    key: &'static str,
    model: &'static str,
    size: u32,
    memory: &'static str,
}

pub struct Flavor {
    pub name: &'static str,
    cpu: u32,
    memory: &'static str,
    cpu_arch: &'static str,
    accelerator: Option<Accelerator>,
    /// Sold out in `{region}a`, `{region}b`.
    sold_out: [bool; 2],
}

const fn gpu(model: &'static str, memory: &'static str) -> Option<Accelerator> {
    Some(Accelerator {
        key: "gpu",
        model,
        size: 1,
        memory,
    })
}

/// The catalogue, by name (the order lists and pages follow).
const CATALOGUE: &[Flavor] = &[
    Flavor {
        name: "modelarts.vm.cpu.16u64",
        cpu: 16,
        memory: "64Gi",
        cpu_arch: "x86",
        accelerator: None,
        sold_out: [true, false],
    },
    Flavor {
        name: "modelarts.vm.cpu.4u8",
        cpu: 4,
        memory: "8Gi",
        cpu_arch: "x86",
        accelerator: None,
        sold_out: [false, false],
    },
    Flavor {
        name: "modelarts.vm.cpu.8ud",
        cpu: 8,
        memory: "32Gi",
        cpu_arch: "x86",
        accelerator: None,
        sold_out: [false, false],
    },
    Flavor {
        name: "modelarts.vm.gpu.t4u8",
        cpu: 8,
        memory: "32Gi",
        cpu_arch: "x86",
        accelerator: gpu("nvidia-t4", "16Gi"),
        sold_out: [false, false],
    },
    Flavor {
        name: "modelarts.vm.gpu.tnt004",
        cpu: 8,
        memory: "32Gi",
        cpu_arch: "x86",
        accelerator: gpu("nvidia-t4", "16Gi"),
        sold_out: [false, false],
    },
    Flavor {
        name: "modelarts.vm.gpu.v100",
        cpu: 8,
        memory: "64Gi",
        cpu_arch: "x86",
        accelerator: gpu("nvidia-v100", "32Gi"),
        sold_out: [true, true],
    },
    Flavor {
        name: "modelarts.vm.npu.snt9b",
        cpu: 24,
        memory: "192Gi",
        cpu_arch: "arm",
        accelerator: Some(Accelerator {
            key: "npu",
            model: "ascend-snt9b",
            size: 8,
            memory: "64Gi",
        }),
        sold_out: [false, true],
    },
];

/// The scopes every flavor of the catalogue serves (its one label).
const SCOPE_LABEL: (&str, &str) = ("os.modelarts/scope", "Train,Infer,Notebook");

/// The flavor of that name, if the catalogue has it.
pub fn find(name: &str) -> Option<&'static Flavor> {
    CATALOGUE.iter().find(|f| f.name == name)
}

/// The availability zones of `region`: `{region}a`, `{region}b`.
pub fn azs(region: &str) -> [String; 2] {
    [format!("{region}a"), format!("{region}b")]
}

impl Flavor {
    /// Whether the flavor is sold out in `az`. A zone that is not one of
    /// the region's has no capacity for any flavor.
    pub fn sold_out_in(&self, region: &str, az: &str) -> bool {
        match azs(region).iter().position(|z| z == az) {
            Some(i) => self.sold_out[i],
            None => true,
        }
    }

    fn object(&self, region: &str) -> Value {
        let mut spec = Map::new();
        spec.insert("type".into(), json!("Dedicate"));
        spec.insert("cpuArch".into(), json!(self.cpu_arch));
        spec.insert("cpu".into(), json!(self.cpu.to_string()));
        spec.insert("memory".into(), json!(self.memory));
        if let Some(a) = &self.accelerator {
            spec.insert(
                a.key.into(),
                json!({"type": a.model, "size": a.size.to_string(), "memory": a.memory}),
            );
        }
        spec.insert("dataVolume".into(), json!([]));
        spec.insert("billingModes".into(), json!([0, 1]));
        spec.insert("jobFlavors".into(), json!([]));
        let phase: Map<String, Value> = azs(region)
            .into_iter()
            .zip(self.sold_out)
            .map(|(az, sold)| (az, json!(if sold { "soldout" } else { "normal" })))
            .collect();
        json!({
            "apiVersion": "v1",
            "kind": "ResourceFlavor",
            "metadata": {
                "name": self.name,
                "labels": {SCOPE_LABEL.0: SCOPE_LABEL.1},
                "annotations": {},
            },
            "spec": spec,
            "status": {"phase": phase},
        })
    }
}

/// The answer of `GET .../resourceflavors` for this query: `labelSelector`,
/// `limit`, `continue` (see `paging`).
pub fn list(region: &str, query: &[(String, String)], pager: &Pager) -> Result<Value, ApiError> {
    let selector = Selector::from_query(query)?;
    let page = Page::from_query(query, pager, "resourceflavors", &selector.text())?;
    let items: Vec<(String, Value)> = CATALOGUE
        .iter()
        .map(|f| (f.name.to_string(), f.object(region)))
        .filter(|(_, o)| selector.matches(&o["metadata"]["labels"]))
        .collect();
    Ok(page.answer(items))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_is_sorted_by_name_and_complete() {
        let names: Vec<&str> = CATALOGUE.iter().map(|f| f.name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
        assert_eq!(names.len(), 7);
        assert!(find("modelarts.vm.gpu.v100.soldout").is_none());
    }

    #[test]
    fn sold_out_per_zone() {
        let f = find("modelarts.vm.cpu.16u64").unwrap();
        assert!(f.sold_out_in("r-1", "r-1a"));
        assert!(!f.sold_out_in("r-1", "r-1b"));
        assert!(
            f.sold_out_in("r-1", "elsewhere-1a"),
            "an unknown zone has nothing"
        );
        let o = find("modelarts.vm.npu.snt9b").unwrap().object("r-1");
        assert_eq!(
            o["status"]["phase"],
            json!({"r-1a": "normal", "r-1b": "soldout"})
        );
        assert_eq!(
            o["spec"]["npu"],
            json!({"type": "ascend-snt9b", "size": "8", "memory": "64Gi"})
        );
        assert_eq!(o["spec"]["cpuArch"], "arm");
        assert_eq!(o["spec"]["cpu"], "24");
        assert!(o["spec"].get("gpu").is_none() && o["spec"].get("resType").is_none());
    }
}
