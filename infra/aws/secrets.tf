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

# API_KEYS: the keys the service accepts, as name:role:sha256:<hex> entries
# (only hashes: `npm run auth:new-key -- <name> <role>` prints the key once and
# the entry to add). In production the service refuses to start without keys,
# so the tasks only start once this secret has a value. Terraform creates the
# secret but, by default, no value: the operator puts it with
# `aws secretsmanager put-secret-value` (README.md, "API keys"), which keeps
# the list out of Terraform state and variables.
resource "aws_secretsmanager_secret" "api_keys" {
  name_prefix             = "${var.project}/api-keys-"
  description             = "API_KEYS of the ${var.project} API (name:role:sha256:<64 hex> entries, comma separated)"
  recovery_window_in_days = var.secret_recovery_window_days
}

# Only when var.api_keys is set: then Terraform owns the value, and a value put
# by hand is replaced at the next apply. Use one way or the other.
resource "aws_secretsmanager_secret_version" "api_keys" {
  count = var.api_keys == null ? 0 : 1

  secret_id     = aws_secretsmanager_secret.api_keys.id
  secret_string = var.api_keys
}

# REDIS_URL: a shared Redis for the rate-limit counters, so a limit holds
# across tasks. Only with var.redis_url; without it each task counts on its
# own. A secret because the URL may carry a password.
locals {
  # Whether a Redis is configured is no secret (and for_each refuses sensitive
  # values, see security_groups.tf): only the URL itself stays sensitive.
  redis_enabled = nonsensitive(var.redis_url != "")
}

resource "aws_secretsmanager_secret" "redis_url" {
  count = local.redis_enabled ? 1 : 0

  name_prefix             = "${var.project}/redis-url-"
  description             = "REDIS_URL of the ${var.project} API: the Redis holding the rate-limit counters (redis[s]://[user:password@]host:port[/db])"
  recovery_window_in_days = var.secret_recovery_window_days
}

resource "aws_secretsmanager_secret_version" "redis_url" {
  count = local.redis_enabled ? 1 : 0

  secret_id     = aws_secretsmanager_secret.redis_url[0].id
  secret_string = var.redis_url
}
