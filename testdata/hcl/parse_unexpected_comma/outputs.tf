output "search_repository_url" {
  value = aws_ecr_repository.search.repository_url
}

output "registry_id" {
  value = aws_ecr_repository.search.registry_id,
}
