# Only a comment in this file.
