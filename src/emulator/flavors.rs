//! The resource flavors `GET /v1/{project_id}/resourceflavors` answers.
//! Create accepts any flavor name, so the lifecycle triggers (`soldout`,
//! `abnormal`) work with names of the user's choosing; this list is what a
//! client can discover.

use serde_json::{json, Value};

struct Flavor {
    name: &'static str,
    res_type: &'static str,
    cpu: u32,
    memory: &'static str,
    gpu: Option<(&'static str, u32)>,
    sold_out: bool,
}

const FLAVORS: &[Flavor] = &[
    Flavor {
        name: "modelarts.vm.cpu.4u8",
        res_type: "cpu",
        cpu: 4,
        memory: "8Gi",
        gpu: None,
        sold_out: false,
    },
    Flavor {
        name: "modelarts.vm.cpu.8ud",
        res_type: "cpu",
        cpu: 8,
        memory: "32Gi",
        gpu: None,
        sold_out: false,
    },
    Flavor {
        name: "modelarts.vm.gpu.tnt004",
        res_type: "gpu",
        cpu: 8,
        memory: "32Gi",
        gpu: Some(("nvidia-t4", 1)),
        sold_out: false,
    },
    Flavor {
        name: "modelarts.vm.gpu.t4u8",
        res_type: "gpu",
        cpu: 8,
        memory: "32Gi",
        gpu: Some(("nvidia-t4", 1)),
        sold_out: false,
    },
    Flavor {
        name: "modelarts.vm.gpu.v100.soldout",
        res_type: "gpu",
        cpu: 8,
        memory: "64Gi",
        gpu: Some(("nvidia-v100", 1)),
        sold_out: true,
    },
];

pub fn list(region: &str) -> Value {
    let azs = [format!("{region}a"), format!("{region}b")];
    let items: Vec<Value> = FLAVORS
        .iter()
        .map(|f| {
            let state = if f.sold_out { "soldout" } else { "normal" };
            let mut spec = json!({
                "type": "Dedicate",
                "cpuArch": "x86",
                "resType": f.res_type,
                "cpu": f.cpu,
                "memory": f.memory,
                "billingModes": [0, 1],
            });
            if let Some((kind, size)) = f.gpu {
                spec["gpu"] = json!({"type": kind, "size": size});
            }
            json!({
                "kind": "ResourceFlavor",
                "apiVersion": "v1",
                "metadata": {
                    "name": f.name,
                    "labels": {"os.modelarts/scope": "Train,Infer,Notebook"},
                },
                "spec": spec,
                "status": {"phase": {azs[0].as_str(): state, azs[1].as_str(): state}},
            })
        })
        .collect();
    json!({"kind": "List", "apiVersion": "v1", "items": items})
}
