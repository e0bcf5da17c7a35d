# ---------------------------------------------------------------------------
# Required
# ---------------------------------------------------------------------------

variable "project" {
  description = "Name prefix of every resource (ECS cluster, ALB, RDS identifier, log group /ecs/<project>-api). Use one per environment, e.g. hr-api-prod."
  type        = string

  validation {
    # Short enough for the 32-character ALB and target group names it prefixes.
    condition     = can(regex("^[a-z][a-z0-9-]{1,19}$", var.project))
    error_message = "project must be 2-20 characters: lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "aws_region" {
  description = "AWS region to deploy into, e.g. eu-west-1."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.aws_region))
    error_message = "aws_region must look like eu-west-1."
  }
}

variable "image_tag" {
  description = "Tag of the image in this stack's ECR repository to run (tags are immutable: use the git commit SHA, not latest)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag)) && var.image_tag != "latest"
    error_message = "image_tag must be a valid Docker tag other than latest (tags are immutable in this repository)."
  }
}

# ---------------------------------------------------------------------------
# Networking
# ---------------------------------------------------------------------------

variable "existing_vpc" {
  description = "Leave null to create a VPC (2 AZs, public and private subnets, NAT). Set to deploy into an existing VPC instead: its id, at least two public subnets (for the ALB) and at least two private subnets with a NAT route (for the tasks and RDS), each pair in different AZs."
  type = object({
    vpc_id             = string
    public_subnet_ids  = list(string)
    private_subnet_ids = list(string)
  })
  default = null

  validation {
    # A conditional, not ||: Terraform evaluates both sides of || and null has no attributes.
    condition     = var.existing_vpc == null ? true : length(var.existing_vpc.public_subnet_ids) >= 2 && length(var.existing_vpc.private_subnet_ids) >= 2
    error_message = "existing_vpc needs at least two public and two private subnets (the ALB and the RDS subnet group each need two AZs)."
  }
}

variable "vpc_cidr" {
  description = "CIDR block of the created VPC (ignored with existing_vpc). Subnets are /24s carved from it."
  type        = string
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && tonumber(split("/", var.vpc_cidr)[1]) <= 20
    error_message = "vpc_cidr must be an IPv4 CIDR block of /20 or larger."
  }
}

variable "nat_gateway_per_az" {
  description = "true: one NAT gateway per AZ (survives an AZ outage, about twice the NAT cost). false: a single NAT gateway shared by both private subnets."
  type        = bool
  default     = false
}

# ---------------------------------------------------------------------------
# Load balancer
# ---------------------------------------------------------------------------

variable "certificate_arn" {
  description = "ACM certificate ARN (same region) for an HTTPS listener on 443. When set, HTTP on 80 redirects to HTTPS. Null: HTTP only."
  type        = string
  default     = null

  validation {
    condition     = var.certificate_arn == null || can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN."
  }
}

variable "alb_idle_timeout" {
  description = "Seconds the ALB keeps a silent connection open. A synchronous upload answers only after its rows are loaded, so this bounds how long a synchronous ingest may take (use async=true for bigger files)."
  type        = number
  default     = 300

  validation {
    # The service keeps idle connections for 305 s (src/app.factory.ts): the ALB must let go first, or it
    # reuses connections the service is closing and answers 502.
    condition     = var.alb_idle_timeout >= 1 && var.alb_idle_timeout < 305
    error_message = "alb_idle_timeout must be between 1 and 304 seconds (below the service's 305 s keep-alive)."
  }
}

variable "alb_deletion_protection" {
  description = "Protect the ALB from deletion (terraform destroy then fails until it is set to false and applied)."
  type        = bool
  default     = false
}

# ---------------------------------------------------------------------------
# ECS service
# ---------------------------------------------------------------------------

variable "task_cpu" {
  description = "Fargate task CPU units (256 = 0.25 vCPU). The memory must be a valid Fargate pairing for it."
  type        = number
  default     = 512

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096], var.task_cpu)
    error_message = "task_cpu must be one of 256, 512, 1024, 2048, 4096."
  }
}

variable "task_memory" {
  description = "Fargate task memory in MiB. The image caps the Node heap at 256 MiB; uploads stream, so 1024 leaves room for buffers and the parse worker."
  type        = number
  default     = 1024

  validation {
    condition     = var.task_memory >= 512 && var.task_memory <= 30720
    error_message = "task_memory must be between 512 and 30720 MiB."
  }
}

variable "cpu_architecture" {
  description = "CPU architecture of the image: X86_64 (docker build --platform linux/amd64) or ARM64 (linux/arm64, Graviton, cheaper)."
  type        = string
  default     = "X86_64"

  validation {
    condition     = contains(["X86_64", "ARM64"], var.cpu_architecture)
    error_message = "cpu_architecture must be X86_64 or ARM64."
  }
}

variable "min_capacity" {
  description = "Minimum (and initial) number of running tasks. Each task keeps up to 10 PostgreSQL connections."
  type        = number
  default     = 2

  validation {
    condition     = var.min_capacity >= 1 && floor(var.min_capacity) == var.min_capacity
    error_message = "min_capacity must be a whole number of at least 1."
  }
}

variable "max_capacity" {
  description = "Maximum number of tasks autoscaling may run. Keep max_capacity x 10 connections below the RDS instance's max_connections."
  type        = number
  default     = 4

  validation {
    condition     = var.max_capacity >= 1 && var.max_capacity <= 20 && floor(var.max_capacity) == var.max_capacity
    error_message = "max_capacity must be a whole number between 1 and 20."
  }
}

variable "cpu_target_percent" {
  description = "Average service CPU utilisation (percent) that target tracking keeps the service at."
  type        = number
  default     = 60

  validation {
    condition     = var.cpu_target_percent >= 10 && var.cpu_target_percent <= 90
    error_message = "cpu_target_percent must be between 10 and 90."
  }
}

variable "health_check_grace_period_seconds" {
  description = "Seconds after a task starts during which failed ALB health checks (and, up to 300, container health checks) are ignored: covers start-up and the migrations it applies."
  type        = number
  default     = 90

  validation {
    condition     = var.health_check_grace_period_seconds >= 30 && var.health_check_grace_period_seconds <= 3600
    error_message = "health_check_grace_period_seconds must be between 30 and 3600."
  }
}

variable "log_level" {
  description = "LOG_LEVEL of the service (pino levels)."
  type        = string
  default     = "info"

  validation {
    condition     = contains(["trace", "debug", "info", "warn", "error", "fatal", "silent"], var.log_level)
    error_message = "log_level must be one of trace, debug, info, warn, error, fatal, silent."
  }
}

variable "migrations_run_on_start" {
  description = "MIGRATIONS_RUN of the service: true applies pending migrations when a task starts. false: run them with the one-off task of the run_migrations_command output (tasks report 503 on /health until then)."
  type        = bool
  default     = true
}

variable "container_insights" {
  description = "Enable CloudWatch Container Insights on the cluster (per-task metrics; billed as custom metrics)."
  type        = bool
  default     = true
}

variable "log_retention_days" {
  description = "Retention in days of the /ecs/<project>-api CloudWatch log group."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653)."
  }
}

# ---------------------------------------------------------------------------
# ECR
# ---------------------------------------------------------------------------

variable "ecr_keep_images" {
  description = "How many most recent images the ECR lifecycle policy keeps (older ones expire). Keep enough to roll back to."
  type        = number
  default     = 30

  validation {
    condition     = var.ecr_keep_images >= 5
    error_message = "ecr_keep_images must be at least 5, or rollbacks run out of images."
  }
}

variable "ecr_force_delete" {
  description = "Let terraform destroy delete the ECR repository while it still holds images."
  type        = bool
  default     = false
}

# ---------------------------------------------------------------------------
# Database
# ---------------------------------------------------------------------------

variable "db_engine_version" {
  description = "PostgreSQL engine version: 15 (the latest 15.x, minor upgrades automatic) or a pinned 15.x."
  type        = string
  default     = "15"

  validation {
    # The parameter group family (postgres15) is tied to the major version.
    condition     = can(regex("^15(\\.[0-9]+)?$", var.db_engine_version))
    error_message = "db_engine_version must be 15 or 15.<minor>."
  }
}

variable "db_instance_class" {
  description = "RDS instance class. db.t4g.micro suits tests; size up for real loads (max_connections grows with memory)."
  type        = string
  default     = "db.t4g.micro"

  validation {
    condition     = can(regex("^db\\.[a-z0-9]+\\.[a-z0-9]+$", var.db_instance_class))
    error_message = "db_instance_class must look like db.t4g.micro."
  }
}

variable "db_allocated_storage" {
  description = "Initial gp3 storage in GiB."
  type        = number
  default     = 20

  validation {
    condition     = var.db_allocated_storage >= 20 && var.db_allocated_storage <= 65536
    error_message = "db_allocated_storage must be between 20 and 65536 GiB."
  }
}

variable "db_max_allocated_storage" {
  description = "Upper bound in GiB for RDS storage autoscaling (must be above db_allocated_storage)."
  type        = number
  default     = 100

  validation {
    condition     = var.db_max_allocated_storage >= 21 && var.db_max_allocated_storage <= 65536
    error_message = "db_max_allocated_storage must be between 21 and 65536 GiB."
  }
}

variable "db_name" {
  description = "Name of the database the service uses."
  type        = string
  default     = "hr"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.db_name))
    error_message = "db_name must start with a letter and contain only lower-case letters, digits and underscores."
  }
}

variable "db_username" {
  description = "Master user name of the RDS instance (its generated password goes into the DATABASE_URL secret)."
  type        = string
  default     = "app"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,15}$", var.db_username)) && !contains(["admin", "postgres", "rdsadmin"], var.db_username)
    error_message = "db_username must be 1-16 lower-case letters, digits or underscores, starting with a letter, and not a reserved name."
  }
}

variable "db_multi_az" {
  description = "Run a standby in a second AZ (automatic failover; doubles the instance cost)."
  type        = bool
  default     = false
}

variable "db_backup_retention_days" {
  description = "Days RDS keeps automated backups (point-in-time recovery window)."
  type        = number
  default     = 7

  validation {
    condition     = var.db_backup_retention_days >= 7 && var.db_backup_retention_days <= 35
    error_message = "db_backup_retention_days must be between 7 and 35."
  }
}

variable "db_deletion_protection" {
  description = "Protect the RDS instance from deletion. Set to false and apply before terraform destroy."
  type        = bool
  default     = true
}

variable "db_skip_final_snapshot" {
  description = "Skip the final snapshot when the RDS instance is destroyed (loses the data). Keep false outside throwaway stacks."
  type        = bool
  default     = false
}

# ---------------------------------------------------------------------------
# API keys and rate limits
# ---------------------------------------------------------------------------

variable "api_keys" {
  description = "API_KEYS of the service: comma-separated name:role:sha256:<64 hex> entries (roles read, write, admin; `npm run auth:new-key -- <name> <role>` makes one). null (the default): Terraform creates the API_KEYS secret without a value, and the operator puts it with aws secretsmanager put-secret-value (see README.md); the tasks do not start until it has one. Set: Terraform writes it as the secret's value (into the state too: hashes only, no key)."
  type        = string
  default     = null
  sensitive   = true

  validation {
    # A conditional, not ||: Terraform evaluates both sides of || and split() refuses null.
    condition = var.api_keys == null ? true : alltrue([
      for entry in split(",", var.api_keys) : can(regex("^[A-Za-z0-9_.-]{1,64}:(read|write|admin):sha256:[0-9A-Fa-f]{64}$", trimspace(entry)))
    ])
    error_message = "api_keys must be comma-separated name:role:sha256:<64 hex digits> entries with role read, write or admin (npm run auth:new-key prints them); hashes only, never a key itself."
  }
}

variable "redis_url" {
  description = "A shared Redis (e.g. ElastiCache) so rate limits hold across tasks; empty: per-task counters. A redis:// or rediss:// (TLS) URL, which may hold a password: it is kept in a Secrets Manager secret and passed as REDIS_URL, and the tasks may reach its port anywhere in the VPC (the Redis's security group must admit the tasks' group). Terraform does not create the Redis."
  type        = string
  default     = ""
  sensitive   = true
  nullable    = false

  validation {
    condition     = var.redis_url == "" ? true : can(regex("^rediss?://\\S+$", var.redis_url))
    error_message = "redis_url must be empty or a redis:// or rediss:// URL, e.g. rediss://:<password>@<host>:6379."
  }
}

# ---------------------------------------------------------------------------
# Secrets and tags
# ---------------------------------------------------------------------------

variable "secret_recovery_window_days" {
  description = "Days a deleted secret (DATABASE_URL, API_KEYS, REDIS_URL) can still be restored (0 deletes it at once)."
  type        = number
  default     = 7

  validation {
    condition     = var.secret_recovery_window_days == 0 || (var.secret_recovery_window_days >= 7 && var.secret_recovery_window_days <= 30)
    error_message = "secret_recovery_window_days must be 0 or between 7 and 30."
  }
}

variable "tags" {
  description = "Extra tags for every resource (merged over Project and ManagedBy)."
  type        = map(string)
  default     = {}
}
