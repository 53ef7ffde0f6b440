//! What the migration of an existing ECR repository to a customer-managed key needs from the
//! scanned code: the repository's resource, the block of the new one, and where the code uses
//! it (the consumers to repoint). `report::migrate` writes the runbook and the script.

/// One repository to migrate.
#[derive(Clone, Debug, Default)]
pub struct Migration {
    /// The repository as it is (its ECR name).
    pub repository: String,
    /// The new repository, on a customer-managed key.
    pub new_repository: String,
    /// Its Terraform address, when the scanned code has it (`aws_ecr_repository.api`).
    pub address: Option<String>,
    /// Where the scanned code uses the repository: `file:line: text`.
    pub consumers: Vec<String>,
    /// The resource block to add beside the old one.
    pub terraform: String,
}

/// Whether `name` is a valid ECR repository name (what the script may hold, quoted).
pub fn valid_repository_name(name: &str) -> bool {
    let part_ok = |p: &str| {
        !p.is_empty()
            && p.split(['.', '_', '-'])
                .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
    };
    (2..=256).contains(&name.len()) && name.split('/').all(part_ok)
}

/// The migration of `repository` to `new_repository`, from a scan of `opts`: the resource
/// whose `name` is the repository (a literal), its consumers, and the new block.
pub fn migration(
    opts: &crate::scan::ScanOptions,
    repository: &str,
    new_repository: &str,
) -> Result<(Migration, crate::scan::ScanResult), String> {
    migration_with(opts, repository, new_repository, Default::default())
}

/// [`migration`] over the texts `fix` is about to write.
pub(super) fn migration_with(
    opts: &crate::scan::ScanOptions,
    repository: &str,
    new_repository: &str,
    overlay: crate::workspace::Overlay,
) -> Result<(Migration, crate::scan::ScanResult), String> {
    for n in [repository, new_repository] {
        if !valid_repository_name(n) {
            return Err(format!(
                "{n:?} is not an ECR repository name (lower-case letters, digits, and . _ - / between them)"
            ));
        }
    }
    if repository == new_repository {
        return Err("the new repository needs a name of its own".into());
    }
    let scan = crate::scan::scan_with(opts, overlay);
    let sources = &scan.sources;
    let mut found: Option<(crate::syntax::source::FileId, String, crate::syntax::source::Span)> = None;
    for i in 0..sources.len() {
        let id = crate::syntax::source::FileId(i as u32);
        let f = sources.get(id);
        if !f.display.ends_with(".tf") {
            continue;
        }
        let parsed = crate::syntax::hcl::parser::parse_file(&f.text, id);
        for b in parsed.body.blocks_of("resource") {
            let [ty, label] = b.labels.as_slice() else { continue };
            let named = b.body.attribute("name").and_then(|a| a.expr.as_literal_str()) == Some(repository);
            if ty == "aws_ecr_repository" && named && super::locate::is_identifier(label) && found.is_none() {
                found = Some((id, label.to_string(), b.span));
            }
        }
    }
    let mut m = Migration {
        repository: repository.to_string(),
        new_repository: new_repository.to_string(),
        ..Migration::default()
    };
    let mut key = "aws_kms_key.ecr.arn".to_string();
    let mut new_key = true;
    let mut label = "migrated".to_string();
    if let Some((found_id, l, block_span)) = &found {
        let (found_id, block) = (*found_id, block_span.start as usize..block_span.end as usize);
        m.address = Some(format!("aws_ecr_repository.{l}"));
        label = format!("{l}_cmk");
        let (_, by_dir) = super::locate::files_by_dir(sources);
        let file = sources.get(found_id);
        if let Some(dir) = std::fs::canonicalize(&file.path).ok().and_then(|p| p.parent().map(|d| d.to_path_buf())) {
            let files = by_dir.get(&dir).map(Vec::as_slice).unwrap_or(&[]);
            let parse = |id| std::sync::Arc::new(crate::syntax::hcl::parser::parse_file(&sources.get(id).text, id));
            let (keys, aliases, _) = super::locate::module_keys(files, &parse);
            match (keys.as_slice(), aliases.as_slice()) {
                ([k], _) => (key, new_key) = (format!("aws_kms_key.{k}.arn"), false),
                ([], [a]) => (key, new_key) = (format!("aws_kms_alias.{a}.target_key_arn"), false),
                _ => {}
            }
        }
        // Where the code uses the repository: references to the resource, image URIs.
        let reference = format!("aws_ecr_repository.{l}");
        let uri = [format!(".amazonaws.com/{repository}:"), format!(".amazonaws.com/{repository}@")];
        for i in 0..sources.len() {
            let id = crate::syntax::source::FileId(i as u32);
            let f = sources.get(id);
            let mut offset = 0usize;
            for (n, line) in f.text.split_inclusive('\n').enumerate() {
                let inside = id == found_id && block.contains(&offset);
                offset += line.len();
                let uses = line.contains(&format!("{reference}.")) || line.contains(&format!("{reference}["));
                if !inside && (uses || uri.iter().any(|u| line.contains(u.as_str()))) {
                    m.consumers.push(format!("{}:{}: {}", f.display, n + 1, line.trim()));
                }
            }
        }
    }
    let mut tf = format!(
        "resource \"aws_ecr_repository\" \"{label}\" {{\n  name                 = \"{new_repository}\"\n  image_tag_mutability = \"IMMUTABLE\"\n\n  encryption_configuration {{\n    encryption_type = \"KMS\"\n    kms_key         = {key}\n  }}\n}}\n"
    );
    if new_key {
        tf.push_str("\nresource \"aws_kms_key\" \"ecr\" {\n  description         = \"Customer-managed key for ECR\"\n  enable_key_rotation = true\n}\n\nresource \"aws_kms_alias\" \"ecr\" {\n  name_prefix   = \"alias/ecr-\"\n  target_key_id = aws_kms_key.ecr.key_id\n}\n");
    }
    m.terraform = tf;
    Ok((m, scan))
}
