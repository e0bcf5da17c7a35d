output "alb_url" {
  description = "Base URL of the API (the ALB's DNS name; https when certificate_arn is set, then point your domain at alb_dns_name)."
  value       = "${local.https_enabled ? "https" : "http"}://${aws_lb.this.dns_name}"
}

output "alb_dns_name" {
  description = "DNS name of the ALB, for a CNAME or Route 53 alias record."
  value       = aws_lb.this.dns_name
}

output "ecr_repository_url" {
  description = "ECR repository to push the image to (docker tag ... <url>:<image_tag>)."
  value       = aws_ecr_repository.api.repository_url
}

output "ecs_cluster_name" {
  description = "ECS cluster name."
  value       = aws_ecs_cluster.this.name
}

output "ecs_service_name" {
  description = "ECS service name."
  value       = aws_ecs_service.api.name
}

output "task_definition_arn" {
  description = "ARN (with revision) of the task definition this apply registered."
  value       = aws_ecs_task_definition.api.arn
}

output "database_url_secret_arn" {
  description = "ARN of the Secrets Manager secret holding DATABASE_URL."
  value       = aws_secretsmanager_secret.database_url.arn
}

output "api_keys_secret_arn" {
  description = "ARN of the Secrets Manager secret holding API_KEYS. Unless var.api_keys is set, put its value (aws secretsmanager put-secret-value --secret-id <arn> ...): the tasks do not start until it has one."
  value       = aws_secretsmanager_secret.api_keys.arn
}

output "redis_url_secret_arn" {
  description = "ARN of the Secrets Manager secret holding REDIS_URL; null without var.redis_url (per-task rate-limit counters)."
  value       = one(aws_secretsmanager_secret.redis_url[*].arn)
}

output "db_endpoint" {
  description = "RDS endpoint (host:port), reachable only from the tasks' security group."
  value       = aws_db_instance.this.endpoint
}

output "log_group_name" {
  description = "CloudWatch log group of the API containers (aws logs tail <name> --follow)."
  value       = aws_cloudwatch_log_group.api.name
}

output "vpc_id" {
  description = "VPC the stack runs in (created or existing)."
  value       = local.vpc_id
}

output "private_subnet_ids" {
  description = "Private subnets of the tasks and the database."
  value       = local.private_subnet_ids
}

output "tasks_security_group_id" {
  description = "Security group of the API tasks (also needed by one-off tasks)."
  value       = aws_security_group.tasks.id
}

# The production image has no ts-node, so `npm run migration:run` does not
# work in it; the compiled data source (dist/ormconfig.js) and the TypeORM CLI
# (a production dependency) do. Replace migration:run with migration:show or
# migration:revert as needed.
output "run_migrations_command" {
  description = "AWS CLI command that runs the TypeORM migrations once, as a one-off task of the current task definition."
  value = join(" ", [
    "aws ecs run-task",
    "--region ${var.aws_region}",
    "--cluster ${aws_ecs_cluster.this.name}",
    "--task-definition ${aws_ecs_task_definition.api.arn}",
    "--launch-type FARGATE",
    "--network-configuration '${jsonencode({ awsvpcConfiguration = { subnets = local.private_subnet_ids, securityGroups = [aws_security_group.tasks.id], assignPublicIp = "DISABLED" } })}'",
    "--overrides '${jsonencode({ containerOverrides = [{ name = local.container_name, command = ["node", "node_modules/typeorm/cli.js", "migration:run", "-d", "dist/ormconfig.js"] }] })}'",
  ])
}
