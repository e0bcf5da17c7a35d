resource "random_password" "db" {
  length = 32
  # URL-unreserved specials only: the password is embedded in DATABASE_URL as
  # is, and RDS forbids / @ " and spaces anyway.
  special          = true
  override_special = "-_.~"
}

# Keeps final snapshot names unique, so destroying a re-created stack does not
# collide with the snapshot of the previous one.
resource "random_id" "final_snapshot" {
  byte_length = 4
}

resource "aws_db_subnet_group" "this" {
  name_prefix = "${var.project}-"
  description = "Private subnets of the ${var.project} database"
  subnet_ids  = local.private_subnet_ids

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_db_parameter_group" "this" {
  name_prefix = "${var.project}-pg15-"
  family      = "postgres15"
  description = "${var.project}: TLS required"

  # PostgreSQL 15 on RDS still accepts plaintext by default; the service
  # connects with sslmode=no-verify (secrets.tf), so refusing plaintext costs
  # nothing and keeps a misconfigured client from sending the password in clear.
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_db_instance" "this" {
  identifier     = "${var.project}-db"
  engine         = "postgres"
  engine_version = var.db_engine_version
  instance_class = var.db_instance_class

  db_name  = var.db_name
  username = var.db_username
  password = random_password.db.result
  port     = 5432

  storage_type          = "gp3"
  allocated_storage     = var.db_allocated_storage
  max_allocated_storage = var.db_max_allocated_storage
  storage_encrypted     = true

  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [aws_security_group.rds.id]
  publicly_accessible    = false
  multi_az               = var.db_multi_az
  parameter_group_name   = aws_db_parameter_group.this.name

  backup_retention_period   = var.db_backup_retention_days
  copy_tags_to_snapshot     = true
  deletion_protection       = var.db_deletion_protection
  skip_final_snapshot       = var.db_skip_final_snapshot
  final_snapshot_identifier = var.db_skip_final_snapshot ? null : "${var.project}-db-final-${random_id.final_snapshot.hex}"

  auto_minor_version_upgrade  = true
  allow_major_version_upgrade = false
  # Changes wait for the maintenance window instead of restarting the database mid-day.
  apply_immediately = false

  lifecycle {
    precondition {
      condition     = var.db_max_allocated_storage > var.db_allocated_storage
      error_message = "db_max_allocated_storage must be greater than db_allocated_storage."
    }
  }
}
