# DATABASE_URL holds the password, so it lives only here: the task definition
# names the secret (container `secrets`) and ECS resolves it at task start with
# the execution role. It never appears in the task definition's environment,
# `describe-task-definition` output or the console.
resource "aws_secretsmanager_secret" "database_url" {
  # A prefix, not a fixed name: a deleted secret keeps its name for the
  # recovery window, which would block re-creating the stack meanwhile.
  name_prefix             = "${var.project}/database-url-"
  description             = "DATABASE_URL of the ${var.project} API (postgres://user:password@host:5432/db)"
  recovery_window_in_days = var.secret_recovery_window_days
}

resource "aws_secretsmanager_secret_version" "database_url" {
  secret_id = aws_secretsmanager_secret.database_url.id
  # sslmode=no-verify: TLS on, certificate not checked. RDS refuses plaintext
  # (rds.force_ssl in rds.tf), but its CA is not in Node's trust store and the
  # image does not ship the RDS bundle, which verify-full would need. The
  # password needs no escaping: random_password only uses URL-safe characters.
  secret_string = "postgres://${aws_db_instance.this.username}:${random_password.db.result}@${aws_db_instance.this.address}:${aws_db_instance.this.port}/${aws_db_instance.this.db_name}?sslmode=no-verify"
}
