# Reports every instance of the resource types the key-ownership (cmk) rules check, so that
# instances no rule reports are counted too (docs/comparison.md, "The cmk family on the big
# corpus").
rule "zz_inventory" {
  title          = "Inventory of evaluated instances"
  severity       = "low"
  family         = "inventory"
  resource_types = [
    "aws_backup_vault",
    "aws_cloudtrail",
    "aws_cloudwatch_log_group",
    "aws_codebuild_project",
    "aws_db_instance",
    "aws_docdb_cluster",
    "aws_dynamodb_table",
    "aws_dynamodb_table_replica",
    "aws_ebs_volume",
    "aws_ecr_repository",
    "aws_ecr_repository_creation_template",
    "aws_efs_file_system",
    "aws_eks_cluster",
    "aws_elasticache_replication_group",
    "aws_elasticache_serverless_cache",
    "aws_elasticsearch_domain",
    "aws_instance",
    "aws_kinesis_firehose_delivery_stream",
    "aws_kinesis_stream",
    "aws_lambda_function",
    "aws_launch_template",
    "aws_msk_cluster",
    "aws_neptune_cluster",
    "aws_opensearch_domain",
    "aws_rds_cluster",
    "aws_redshift_cluster",
    "aws_redshiftserverless_namespace",
    "aws_s3_bucket",
    "aws_secretsmanager_secret",
    "aws_sns_topic",
    "aws_sqs_queue",
    "aws_ssm_parameter",
  ]

  check {
    condition = false
    at        = resource
    message   = "evaluated"
  }

  description = "Lists every instance of the compared resource types."
  remediation = "None: an inventory, not a finding."
}
