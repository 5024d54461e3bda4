//! The request path as a user meets it: the real binary, its exit codes, and
//! snapshots of what it prints (a change of wording is a visible diff).

mod common;

use common::{poolctl, run};

use serde_json::{json, Value};

const SEED_PHYSICAL: &str = r#"{
    "kind": "Pool",
    "apiVersion": "v2",
    "metadata": {
        "annotations": {
            "os.modelarts/description": ""
        },
        "labels": {
            "os.modelarts/name": "pool-ae01",
            "os.modelarts/workspace.id": "0"
        }
    },
    "spec": {
        "type": "Dedicate",
        "scope": [
            "Train"
        ],
        "network": {
            "name": "network-21e1-6f5da086876d4cd084d36f8bd3346036"
        },
        "resources": [
            {
                "count": 1,
                "flavor": "modelarts.vm.cpu.8ud",
            }
        ]
    }
}
"#;

const SEED_LOGICAL: &str = r#"{
  "kind" : "Pool",
  "apiVersion" : "v1",
  "metadata" : {
    "labels" : {
      "os.modelarts/name" : "pool-logic-01"
    },
    "annotations" : {
      "os.modelarts/description" : "",
      "os.modelarts/billing.mode" : 0,
      "os.modelarts/product.id" : "xxx"
    }
  },
  "spec" : {
    "type" : "Logical",
    "scope" : [ "Train" ],
    "resources" : [ {
      "flavor" : "modelarts.vm.gpu.tnt004",
      "count" : 2
    } ]
  }
}
"#;

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn seed_with_max_count() -> Value {
    let mut v: Value = serde_saphyr::from_str(SEED_PHYSICAL).unwrap();
    v["spec"]["resources"][0]["maxCount"] = json!(1);
    v
}

#[test]
fn the_seed_physical_example_loads_trailing_comma_and_all() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "physical.json", SEED_PHYSICAL);
    let r = run(poolctl().args(["create", "-f", &f, "--dry-run", "-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let body: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(body, seed_with_max_count());
    // Key order as the reference writes it, so the body reads like the docs.
    assert_run_snapshot!("seed_physical_body", r);
}

#[test]
fn flags_alone_build_the_seed_request() {
    let r = run(poolctl().args([
        "create",
        "--name",
        "pool-ae01",
        "--flavor",
        "modelarts.vm.cpu.8ud",
        "--count",
        "1",
        "--network",
        "network-21e1",
        "--scope",
        "Train",
        "--dry-run",
        "-o",
        "json",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut expected = seed_with_max_count();
    expected["spec"]["network"]["name"] = json!("network-21e1");
    let body: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(body, expected);
    assert_eq!(
        r.stdout,
        serde_json::to_string_pretty(&expected).unwrap() + "\n"
    );
}

#[test]
fn every_pool_flag_builds_the_body_a_manifest_would() {
    let r = run(poolctl().args([
        "create",
        "--name",
        "pool-flags-01",
        "--type",
        "Dedicate",
        "--resource",
        "flavor=modelarts.vm.gpu.t4u8,count=2,az=az1:1,az=az2:1",
        "--resource",
        "flavor=modelarts.vm.cpu.8ud,count=1",
        "--scope",
        "Train,Infer",
        "--vpc-id",
        "vpc-1",
        "--subnet-id",
        "subnet-1",
        "--workspace-id",
        "ws-7",
        "--description",
        "from flags",
        "--sharing",
        "shared",
        "--node-prefix",
        "ci",
        "--container-cidr",
        "172.16.0.0/16",
        "--service-cidr",
        "10.247.0.0/16",
        "--master-az",
        "az1",
        "--master-az",
        "az2",
        "--gpu-driver",
        "470.57.02",
        "--npu-driver",
        "C78",
        "--driver-update-strategy",
        "idle",
        "--ipv6",
        "--cluster-flavor",
        "cce.s2.small",
        "--label",
        "team=ml",
        "--annotation",
        "os.modelarts/billing.mode=1",
        "--dry-run",
        "-o",
        "json",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let body: Value = serde_json::from_str(&r.stdout).unwrap();
    let manifest = json!({
        "kind": "Pool",
        "apiVersion": "v2",
        "metadata": {
            "annotations": {"os.modelarts/description": "from flags", "os.modelarts/billing.mode": "1"},
            "labels": {
                "os.modelarts/name": "pool-flags-01",
                "os.modelarts/workspace.id": "ws-7",
                "os.modelarts/sharing": "shared",
                "os.modelarts/node.prefix": "ci",
                "team": "ml"
            }
        },
        "spec": {
            "type": "Dedicate",
            "scope": ["Train", "Infer"],
            "network": {"vpcId": "vpc-1", "subnetId": "subnet-1"},
            "resources": [
                {"count": 2, "flavor": "modelarts.vm.gpu.t4u8", "maxCount": 2,
                 "azs": [{"az": "az1", "count": 1}, {"az": "az2", "count": 1}]},
                {"count": 1, "flavor": "modelarts.vm.cpu.8ud", "maxCount": 1}
            ],
            "containerNetwork": {"cidr": "172.16.0.0/16"},
            "kubernetesSvcIpRange": "10.247.0.0/16",
            "masters": [{"az": "az1"}, {"az": "az2"}],
            "clusterFlavor": "cce.s2.small",
            "driver": {"gpuVersion": "470.57.02", "npuVersion": "C78", "updateStrategy": "idle"},
            "ipv6enable": true
        }
    });
    assert_eq!(body, manifest);
    // The same manifest through -f gives the same body.
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "m.json", &manifest.to_string());
    let r2 = run(poolctl().args(["create", "-f", &f, "--dry-run", "-o", "json"]));
    assert_eq!(r2.code, 0, "{}", r2.stderr);
    assert_eq!(serde_json::from_str::<Value>(&r2.stdout).unwrap(), manifest);
}

#[test]
fn flags_override_the_file() {
    let r = run(poolctl().args([
        "create",
        "-f",
        "examples/physical-pool.yaml",
        "--name",
        "pool-ci-42",
        "--count",
        "3",
        "--network",
        "network-ci",
        "--label",
        "run=42",
        "--dry-run",
        "-o",
        "json",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let body: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        body["metadata"]["labels"]["os.modelarts/name"],
        "pool-ci-42"
    );
    assert_eq!(body["metadata"]["labels"]["run"], "42");
    assert_eq!(body["spec"]["resources"][0]["count"], 3);
    assert_eq!(body["spec"]["resources"][0]["maxCount"], 3);
    assert_eq!(body["spec"]["network"]["name"], "network-ci");
    // What the flags did not touch stays as the file says.
    assert_eq!(body["spec"]["scope"], json!(["Train", "Infer"]));
    assert_eq!(
        body["spec"]["resources"][0]["flavor"],
        "modelarts.vm.cpu.8ud"
    );
}

#[test]
fn a_flag_error_names_the_flag() {
    let r = run(poolctl().args([
        "create",
        "-f",
        "examples/physical-pool.yaml",
        "--max-count",
        "5",
        "--dry-run",
    ]));
    assert_eq!(r.code, 2);
    assert_run_snapshot!("flag_error", r);
}

#[test]
fn several_documents_make_several_pools_and_refuse_per_pool_flags() {
    let dir = tempfile::tempdir().unwrap();
    let two = format!(
        "{}---\n{}",
        std::fs::read_to_string("examples/physical-pool.yaml").unwrap(),
        std::fs::read_to_string("examples/logical-pool.yaml").unwrap()
    );
    let f = write(&dir, "two.yaml", &two);
    let r = run(poolctl().args([
        "create",
        "-f",
        &f,
        "--dry-run",
        "-o",
        "json",
        "--label",
        "env=ci",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Several pools are one List object, as the API's own list answer.
    let list: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        (&list["apiVersion"], &list["kind"]),
        (&json!("v2"), &json!("List"))
    );
    let bodies = list["items"].as_array().unwrap();
    assert_eq!(bodies.len(), 2);
    assert!(bodies
        .iter()
        .all(|b| b["metadata"]["labels"]["env"] == "ci"));

    let r = run(poolctl().args(["create", "-f", &f, "--name", "x-pool", "--dry-run"]));
    assert_eq!(r.code, 2);
    assert_run_snapshot!("per_pool_flag_refused", r);
}

#[test]
fn the_seed_logical_example_needs_v2() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "logical.json", SEED_LOGICAL);
    let r = run(poolctl().args(["validate", "-f", &f]));
    assert_eq!(r.code, 2);
    assert_run_snapshot!("seed_logical_v1", r);

    let f2 = write(
        &dir,
        "logical-v2.json",
        &SEED_LOGICAL.replace("\"v1\"", "\"v2\""),
    );
    let r = run(poolctl().args(["validate", "-f", &f2]));
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_run_snapshot!("seed_logical_v2", r);

    // And create sends nothing, exit 2, with the reason on stderr.
    let r = run(poolctl().args(["create", "-f", &f, "--dry-run"]));
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("expected `v2`"), "{}", r.stderr);
}

#[test]
fn the_examples_are_valid() {
    let mut files: Vec<String> = std::fs::read_dir("examples")
        .unwrap()
        .map(|e| e.unwrap().path().to_str().unwrap().to_string())
        .filter(|p| p.ends_with(".yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 4);
    let mut cmd = poolctl();
    cmd.arg("validate").arg("-f").args(&files);
    let r = run(&mut cmd);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_run_snapshot!("examples_valid", r);
}

#[test]
fn a_typo_is_caught_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("examples/physical-pool.yaml")
        .unwrap()
        .replace("count: 2", "count: 2\n      maxcount: 2")
        .replace("network:", "netwrok:");
    let f = write(&dir, "typo.yaml", &text);
    let r = run(poolctl().args(["validate", "-f", &f]));
    assert_eq!(r.code, 2);
    assert_run_snapshot!("typo", r);

    // --validate warn lets the unknown fields through, still naming them.
    let r = run(poolctl().args([
        "create",
        "-f",
        &f,
        "--validate",
        "warn",
        "--network",
        "network-21e1",
        "--dry-run",
        "-o",
        "json",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let body: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(body["spec"]["resources"][0]["maxcount"], 2);
    assert_eq!(body["spec"]["netwrok"]["name"], "network-21e1");
    assert!(
        r.stderr.contains("did you mean `maxCount`?"),
        "{}",
        r.stderr
    );
}

#[test]
fn validate_json_is_machine_readable() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "logical.json", SEED_LOGICAL);
    let r = run(poolctl().args([
        "validate",
        "-f",
        &f,
        "examples/physical-pool.yaml",
        "-o",
        "json",
    ]));
    assert_eq!(r.code, 2);
    let report: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(report["valid"], false);
    assert_eq!(report["errors"], 1);
    assert_eq!(report["warnings"], 2);
    assert_eq!(
        report["files"][1],
        json!({"file": "examples/physical-pool.yaml", "pools": 1, "errors": 0, "warnings": 0})
    );
    let first = &report["diagnostics"][0];
    assert_eq!(first["path"], "apiVersion");
    assert_eq!(first["severity"], "error");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(3), Some(3))
    );
    assert!(first["message"].as_str().unwrap().contains("`v2`"));
}

#[test]
fn stdin_is_a_manifest_too() {
    let text = std::fs::read_to_string("examples/logical-pool.yaml").unwrap();
    let r = run(poolctl()
        .args(["create", "-f", "-", "--dry-run", "-o", "yaml"])
        .write_stdin(text));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_run_snapshot!("logical_yaml_body", r);
}

/// Found by fuzzing (docs/fuzzing.md, fuzz/regressions/manifest/): YAML
/// escapes put DEL, C1 controls, U+FFFE and U+FFFF in a string; serde_json
/// wrote them raw, and the JSON body could not be read back, since poolctl
/// reads JSON as YAML and YAML refuses them raw.
#[test]
fn the_json_body_of_any_string_reads_back() {
    let text = std::fs::read_to_string("examples/logical-pool.yaml")
        .unwrap()
        .replace(
            "os.modelarts/description: shared inference capacity",
            r#"os.modelarts/description: "a\x80b\x7fc\u009f\uFFFEd\uFFFFe\x85f""#,
        );
    assert!(text.contains(r"\uFFFF"));
    let dry_run = |input: &str| {
        let r = run(poolctl()
            .args(["create", "-f", "-", "--dry-run", "-o", "json"])
            .write_stdin(input.to_string()));
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout
    };
    let body = dry_run(&text);
    assert!(
        // NEL too is written as an escape: it could drive a terminal.
        body.contains("a\\u0080b\\u007fc\\u009f\\ufffed\\uffffe\\u0085f"),
        "{body}"
    );
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        v["metadata"]["annotations"]["os.modelarts/description"],
        "a\u{80}b\u{7f}c\u{9f}\u{fffe}d\u{ffff}e\u{85}f"
    );
    let r = run(poolctl()
        .args(["validate", "-f", "-"])
        .write_stdin(body.clone()));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(dry_run(&body), body, "the body is a fixpoint");
}

#[test]
fn secrets_are_redacted_unless_asked() {
    let r = run(poolctl().args([
        "create",
        "-f",
        "examples/privileged-pool.yaml",
        "--dry-run",
        "-o",
        "json",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains("c2FsdGVkLWFuZC1lbmNyeXB0ZWQ="));
    assert!(r.stdout.contains("\"password\": \"<redacted>\""));
    let r = run(poolctl().args([
        "create",
        "-f",
        "examples/privileged-pool.yaml",
        "--dry-run",
        "-o",
        "yaml",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains("c2FsdGVkLWFuZC1lbmNyeXB0ZWQ="));
    assert!(r.stdout.contains("password: <redacted>"), "{}", r.stdout);
    let r = run(poolctl().args([
        "create",
        "-f",
        "examples/privileged-pool.yaml",
        "--dry-run",
        "-o",
        "json",
        "--show-secrets",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("c2FsdGVkLWFuZC1lbmNyeXB0ZWQ="));
}

#[test]
fn dry_run_text_is_a_summary() {
    let r = run(poolctl().args([
        "create",
        "-f",
        "examples/privileged-pool.yaml",
        "examples/logical-pool.yaml",
        "--dry-run",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_run_snapshot!("dry_run_text", r);
}

#[test]
fn hostile_input_gets_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut bomb = vec![
        r#"a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]"#.to_string(),
    ];
    for i in 1..10 {
        bomb.push(format!(
            "a{i}: &a{i} [{}]",
            vec![format!("*a{}", i - 1); 10].join(",")
        ));
    }
    bomb.push("spec: *a9".into());
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("bomb.yaml", bomb.join("\n").into_bytes(), "alias bomb"),
        (
            "deep.yaml",
            format!("spec: {}{}", "[".repeat(5000), "]".repeat(5000)).into_bytes(),
            "nested too deeply",
        ),
        (
            "deep.json",
            format!("{}1{}", "{\"a\":".repeat(200), "}".repeat(200)).into_bytes(),
            "nested too deeply",
        ),
        (
            "binary.yaml",
            b"apiVersion: v2\n\x00\x01\x02\xff".to_vec(),
            "looks binary",
        ),
        (
            "latin1.yaml",
            b"kind: Pool # caf\xe9\n".to_vec(),
            "not UTF-8",
        ),
        (
            "dup.yaml",
            b"apiVersion: v2\nkind: Pool\napiVersion: v1\n".to_vec(),
            "duplicate key `apiVersion`",
        ),
        (
            "huge.yaml",
            vec![b'#'; 12 * 1024 * 1024 + 1],
            "larger than 12 MB",
        ),
        ("list.yaml", b"- a\n- b\n".to_vec(), "is a mapping"),
        ("empty.yaml", b"# nothing here\n".to_vec(), "holds no pool"),
        (
            "broken.yaml",
            b"apiVersion: [v2\nkind: Pool\n".to_vec(),
            "broken.yaml:",
        ),
    ];
    for (name, bytes, needle) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let started = std::time::Instant::now();
        let r = run(poolctl().args(["validate", "-f", path.to_str().unwrap()]));
        assert_eq!(r.code, 2, "{name}: {}", r.stdout);
        assert!(r.stdout.contains(needle), "{name}: {}", r.stdout);
        assert!(
            r.stderr.is_empty() || !r.stderr.contains("panicked"),
            "{name}: {}",
            r.stderr
        );
        // Bounded work: a generous ceiling that only a runaway would reach.
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "{name} took {:?}",
            started.elapsed()
        );
    }
    let r = run(poolctl().args(["validate", "-f", "no/such/file.yaml"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stdout
            .contains("no/such/file.yaml: error: cannot read: no such file"),
        "{}",
        r.stdout
    );
}

#[test]
fn parse_errors_give_file_line_column_and_path() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        &dir,
        "bad.yaml",
        "apiVersion: v2\nkind: Pool\nspec:\n  resources:\n  - flavor: x\n    count: [1\n",
    );
    let r = run(poolctl().args(["validate", "-f", &f]));
    assert_eq!(r.code, 2);
    assert_run_snapshot!("parse_error", r);
}

#[test]
fn schema_is_json_schema_of_the_manifest() {
    let r = run(poolctl().arg("schema"));
    assert_eq!(r.code, 0);
    let schema: Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(schema["$schema"]
        .as_str()
        .unwrap()
        .contains("json-schema.org"));
    assert!(schema["properties"]["spec"].is_object());
    assert_eq!(schema["additionalProperties"], false);
    // That it equals docs/manifest.schema.json is manifest::shape's unit test.
}

#[test]
fn usage_errors_exit_2() {
    let r = run(poolctl().args(["create", "--count", "x"]));
    assert_eq!(r.code, 2);
    let r = run(poolctl().args(["create", "--resource", "count=1"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("missing flavor="), "{}", r.stderr);
    let r = run(poolctl().args([
        "create",
        "--resource",
        "flavor=a,count=1",
        "--count",
        "2",
        "--name",
        "pool-x",
        "--dry-run",
    ]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("--resource cannot be combined"),
        "{}",
        r.stderr
    );
}

#[test]
fn help_lists_commands_flags_and_exit_codes() {
    let r = run(poolctl().arg("--help"));
    assert_run_snapshot!("help", r);
}

/// A file every write to fails with "no space left on device".
#[cfg(target_os = "linux")]
fn dev_full() -> std::fs::File {
    std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap()
}

/// A result that cannot be written is a failure (exit 1, said on stderr);
/// it used to be lost with exit 0.
#[cfg(target_os = "linux")]
#[test]
fn a_result_that_cannot_be_written_is_exit_1() {
    let full = dev_full();
    let r = common::run_std(
        common::std_poolctl()
            .args([
                "create",
                "-f",
                "examples/physical-pool.yaml",
                "--dry-run",
                "-o",
                "json",
            ])
            .stdout(full),
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("cannot write the result to stdout"),
        "{}",
        r.stderr
    );
}

/// A stderr that cannot be written to is ignored: the exit code still
/// tells what happened (it used to abort the process, exit 134).
#[cfg(target_os = "linux")]
#[test]
fn a_stderr_that_cannot_be_written_does_not_abort() {
    let full = dev_full;
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "bad.yaml", "kind: Pool\napiVersion: v2\n");
    let r = common::run_std(
        common::std_poolctl()
            .args(["create", "-f", &f])
            .stderr(full()),
    );
    assert_eq!(r.code, 2);
    let r = common::run_std(
        common::std_poolctl()
            .args(["validate", "-f", "examples/physical-pool.yaml"])
            .stderr(full()),
    );
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("1 file checked: 1 ok"), "{}", r.stdout);
}

/// `poolctl ... | head -1`: the reader has gone away. poolctl says nothing
/// of it and ends with the status it would have had, so `set -o pipefail`
/// still sees an invalid manifest (it used to exit 0).
#[test]
fn a_closed_pipe_ends_quietly_with_the_status_of_the_run() {
    let closed = || {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        writer
    };
    let r = common::run_std(
        common::std_poolctl()
            .args(["completions", "zsh"])
            .stdout(closed()),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "bad.yaml", "kind: Pool\napiVersion: v2\n");
    let r = common::run_std(
        common::std_poolctl()
            .args(["validate", "-f", &f])
            .stdout(closed()),
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
}

/// `--help` is a result too: one that cannot be written is exit 1 (it used
/// to be 0).
#[cfg(target_os = "linux")]
#[test]
fn help_that_cannot_be_written_is_exit_1() {
    let full = dev_full();
    let r = common::run_std(common::std_poolctl().arg("--help").stdout(full));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("cannot write the help"), "{}", r.stderr);
}
