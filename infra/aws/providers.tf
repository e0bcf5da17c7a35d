provider "aws" {
  region = var.aws_region

  # Every taggable resource carries the project name, so cost reports and
  # clean-up can find the whole stack.
  default_tags {
    tags = merge({ Project = var.project, ManagedBy = "terraform" }, var.tags)
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_availability_zones" "available" {
  state = "available"
}
