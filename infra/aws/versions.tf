terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }

  # State holds the generated database password (random_password and the
  # DATABASE_URL secret version), and redis_url (which may hold a password)
  # when it is set: keep it in an encrypted, access-controlled backend, e.g.
  # add `backend "s3" {}` here and pass bucket/key/region with
  # `terraform init -backend-config=...` (see README.md).
}
