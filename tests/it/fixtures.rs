//! Runs the real `tfcheck` binary on every fixture under `testdata/hcl/` and compares its
//! findings and errors with the case's `expected.txt` (format: testdata/hcl/README.md).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn cases(dir: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.join("expected.txt").is_file())
        .collect();
    cases.sort();
    cases
}

fn read_lines(path: &Path) -> Vec<String> {
    match std::fs::read_to_string(path) {
        Ok(s) => {
            s.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_string).collect()
        }
        Err(_) => Vec::new(),
    }
}

/// Runs tfcheck on a case and returns its results in expected.txt's format. `rules` are the
/// rules the directory's cases are about.
fn actual(case: &Path, rules: &[&str]) -> Result<BTreeSet<String>, String> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tfcheck"));
    cmd.current_dir(case).arg("--format").arg("json");
    for r in rules {
        cmd.arg("--rule").arg(r);
    }
    let args = read_lines(&case.join("args"));
    let has_path = args.iter().any(|a| !a.starts_with('-'));
    cmd.args(&args);
    if !has_path {
        cmd.arg(".");
    }
    for (k, _) in std::env::vars() {
        if k.starts_with("TF_VAR_") || k == "TF_WORKSPACE" {
            cmd.env_remove(k);
        }
    }
    for line in read_lines(&case.join("env")) {
        if let Some((k, v)) = line.split_once('=') {
            cmd.env(k, v);
        }
    }
    let out = cmd.output().map_err(|e| format!("cannot run tfcheck: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let json: serde_json::Value = serde_json::from_str(&stdout).map_err(|e| {
        format!(
            "output is not JSON ({e}); exit {:?}; stderr:\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        )
    })?;
    let mut set = BTreeSet::new();
    for f in json["findings"].as_array().into_iter().flatten() {
        let mut line = format!(
            "{} {} {}:{}",
            f["rule"].as_str().unwrap_or("?"),
            f["address"].as_str().unwrap_or("?"),
            f["file"].as_str().unwrap_or("?"),
            f["line"]
        );
        if f["suppressed"] == true {
            line.push_str(" suppressed");
        }
        set.insert(line);
    }
    for d in json["diagnostics"].as_array().into_iter().flatten() {
        if d["level"] == "error" {
            let code = d["code"].as_str().unwrap_or("?");
            let line = match d["line"].as_u64() {
                Some(l) => format!("error[{code}] {}:{l}", d["file"].as_str().unwrap_or("?")),
                None => format!("error[{code}] {}", d["file"].as_str().unwrap_or("?")),
            };
            set.insert(line);
        }
    }
    // The exit code must agree with the results.
    let has_error = set.iter().any(|l| l.starts_with("error["));
    let has_active = set.iter().any(|l| !l.starts_with("error[") && !l.ends_with(" suppressed"));
    let want = if has_error {
        2
    } else if has_active {
        1
    } else {
        0
    };
    if out.status.code() != Some(want) {
        return Err(format!("exit code {:?}, expected {want}", out.status.code()));
    }
    Ok(set)
}

/// Runs one case: its findings and errors must be exactly those of its expected.txt.
fn check_case(dir: &str, rules: &[&str]) {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let expected: BTreeSet<String> = read_lines(&case.join("expected.txt"))
        .into_iter()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert!(case.join("expected.txt").is_file(), "{dir}: no expected.txt");
    match actual(&case, rules) {
        Err(e) => panic!("{dir}: {e}"),
        Ok(actual) if actual != expected => {
            let missing: Vec<_> = expected.difference(&actual).collect();
            let extra: Vec<_> = actual.difference(&expected).collect();
            panic!("{dir}:\n  missing: {missing:#?}\n  unexpected: {extra:#?}");
        }
        Ok(_) => {}
    }
}

/// Every case directory has its test, and every test its directory: a new case is listed
/// in the `cases!` below, or this fails.
fn check_listed(dir: &str, listed: &[&str]) {
    let on_disk: BTreeSet<String> =
        cases(dir).iter().map(|p| p.file_name().unwrap().to_string_lossy().to_string()).collect();
    let listed: BTreeSet<String> = listed.iter().map(|s| s.to_string()).collect();
    let unlisted: Vec<_> = on_disk.difference(&listed).collect();
    let missing: Vec<_> = listed.difference(&on_disk).collect();
    assert!(
        unlisted.is_empty() && missing.is_empty(),
        "{dir}: add to fixtures.rs: {unlisted:?}; no such case: {missing:?}"
    );
}

/// One `#[test]` per case directory (run one alone: `cargo test --test it
/// fixtures::hcl::eval_count_two`), and a test that the list matches the directories.
macro_rules! cases {
    ($dir:literal, $rules:expr, [$($name:ident),* $(,)?]) => {
        $(
            #[test]
            fn $name() {
                super::check_case(concat!($dir, "/", stringify!($name)), $rules);
            }
        )*

        #[test]
        fn every_case_has_a_test() {
            super::check_listed($dir, &[$(stringify!($name)),*]);
        }
    };
}

/// `testdata/hcl/`: one test per case.
mod hcl {
    cases!(
        "testdata/hcl",
        &["ecr_nocmk"],
        [
            data_count,
            data_count_try_index,
            data_count_zero_one,
            data_for_each,
            data_for_each_per_instance,
            eval_conditional_variable,
            eval_count_conditional,
            eval_count_two,
            eval_count_zero,
            eval_dynamic_block,
            eval_dynamic_empty,
            eval_dynamic_iterator,
            eval_file_json_config,
            eval_for_each_map,
            eval_for_each_toset,
            eval_for_expression_for_each,
            eval_functions_coalesce,
            eval_functions_format,
            eval_functions_jsondecode_heredoc,
            eval_functions_lookup,
            eval_functions_merge,
            eval_functions_try_can,
            eval_functions_upper_replace,
            eval_heredoc_template_if,
            eval_locals_cycle_json,
            eval_locals_reverse_order,
            eval_locals_self_cycle,
            eval_splat,
            eval_string_template,
            eval_templatefile_config,
            eval_workspace_arg,
            eval_workspace_default,
            eval_workspace_env,
            json_array_forms,
            json_array_module_output,
            json_module_mixed_hcl,
            json_resources,
            json_templates,
            json_variable_default_literal,
            mod_count,
            mod_count_zero,
            mod_for_each,
            mod_local_module_basic,
            mod_module_repo_examples,
            mod_modules_json,
            mod_nested_for_each,
            mod_nested_two_levels,
            mod_opentofu_files,
            mod_output_into_module,
            mod_output_key,
            mod_path_module_file,
            mod_remote_source,
            mod_shared_two_roots,
            mod_uncalled_module_is_root,
            parse_invalid_block_definition,
            parse_json_block_not_object,
            parse_json_truncated,
            parse_terraform_accepts,
            parse_unexpected_comma,
            parse_unterminated_block,
            rule_aes256_explicit,
            rule_aws_managed_arn_from_data_sources,
            rule_aws_managed_arn_partitions,
            rule_creation_template,
            rule_data_kms_alias,
            rule_data_kms_key,
            rule_encryption_type_absent,
            rule_encryption_type_invalid_value,
            rule_encryption_type_null,
            rule_kms_alias_resource,
            rule_kms_dsse,
            rule_kms_replica_key,
            rule_kms_without_key,
            rule_literal_key_arns,
            rule_missing_encryption_block,
            rule_other_resources_ignored,
            suppress_block_comment,
            suppress_foreign_tools,
            suppress_hash_above_block,
            suppress_in_module,
            suppress_not_applicable,
            suppress_slash_on_attribute,
            suppress_with_reason,
            suppress_wrong_rule,
            unknown_count_resource_attribute,
            unknown_for_each_resource_attribute,
            unknown_kms_data_source_lookup,
            unknown_module_input,
            unknown_remote_state,
            unknown_root_variable_no_default,
            unknown_ssm_parameter,
            var_auto_tfvars,
            var_cli_order,
            var_cli_var,
            var_default,
            var_env,
            var_env_root_only,
            var_multiple_var_files,
            var_nullable,
            var_optional_defaults,
            var_precedence_all,
            var_tfvars,
            var_tfvars_json,
            var_type_conversion,
            var_var_file,
        ]
    );
}

/// `testdata/plan/`: one test per case.
mod plan {
    cases!(
        "testdata/plan",
        &["ecr_nocmk"],
        [
            action_delete,
            action_noop_customer_key,
            action_noop_default_key,
            action_replace,
            error_format_2_0,
            error_truncated,
            format_0_1,
            format_1_0,
            format_opentofu,
            loc_count_for_each,
            loc_missing_block,
            loc_module_instance,
            loc_noop_actions,
            loc_sources_in_cwd,
            mod_count,
            mod_for_each,
            mod_nested_root_variable,
            rule_aes256,
            rule_aws_managed_key,
            rule_creation_template,
            rule_customer_key_resources,
            rule_data_count,
            rule_data_for_each,
            rule_data_kms_alias,
            rule_data_kms_key,
            rule_kms_without_key,
            rule_missing_block,
        ]
    );
}

/// `testdata/cmk/`: the key-ownership family across services, one test per case.
mod cmk {
    cases!(
        "testdata/cmk",
        &["cmk"],
        [
            ebs_instance_launch_template,
            element_error_stays_local,
            plan_instance_launch_template,
            plan_launch_template_modules,
            plan_old_provider_blocks,
            plan_s3_module_for_each_literal,
            plan_s3_module_instance_keys,
            plan_s3_module_key_escapes,
            plan_s3_module_reference_to_sibling,
            plan_s3_reference_into_counted_module,
            s3_join_across_modules,
            s3_join_computed_name,
            s3_join_unknown_count,
            undecided_then_false,
        ]
    );
}

/// `testdata/state/`: one test per case.
mod state {
    cases!("testdata/state", &["ecr_nocmk"], [empty, error_truncated, error_version_3, raw_v4, show_json,]);
}
