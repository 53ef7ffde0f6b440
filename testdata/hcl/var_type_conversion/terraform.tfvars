use_cmk          = "true"
key_index        = "1"
repository_names = ["api", "api", "web"]
