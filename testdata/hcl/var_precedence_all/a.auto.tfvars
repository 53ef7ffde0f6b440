auto_over_json = "AES256"
auto_lexical   = "AES256"
