# Values only apply (or the caller) can give: no defaults.
variable "engine" {
  type = string
}

variable "encrypted" {
  type = bool
}

resource "aws_kms_key" "k" {
  enable_key_rotation = true
}

# The engine decides whether a missing at_rest_encryption_enabled means unencrypted (redis)
# or the AWS-owned key (valkey): either way no customer key, so reported (it was silent
# before: the undecided first check ended the rule).
resource "aws_elasticache_replication_group" "unknown_engine" {
  replication_group_id = "a"
  description          = "a"
  engine               = var.engine
}

# The same engine, with a customer key: unencrypted if redis, customer-key if valkey.
resource "aws_elasticache_replication_group" "unknown_engine_customer_key" {
  replication_group_id = "b"
  description          = "b"
  engine               = var.engine
  kms_key_id           = aws_kms_key.k.arn
}

# Encryption on or off, never a customer key.
resource "aws_redshift_cluster" "unknown_flag" {
  cluster_identifier = "c"
  node_type          = "ra3.xlplus"
  encrypted          = var.encrypted
}

resource "aws_opensearch_domain" "unknown_flag" {
  domain_name = "d"
  encrypt_at_rest {
    enabled = var.encrypted
  }
}

resource "aws_db_instance" "unknown_flag" {
  instance_class    = "db.t3.micro"
  engine            = "postgres"
  storage_encrypted = var.encrypted
}

# Off (unencrypted) or on under the customer key: only apply can tell.
resource "aws_db_instance" "unknown_flag_customer_key" {
  instance_class    = "db.t3.micro"
  engine            = "postgres"
  storage_encrypted = var.encrypted
  kms_key_id        = aws_kms_key.k.arn
}
